namespace BusRuntime.LoadDriver.AppConfiguration;

/// <summary>One run of the configuration benchmark, as the command line set it.</summary>
public sealed record ConfigurationBenchmarkSettings(
    int Changes,
    int Warmup,
    int Keys,
    string RabbitMq,
    string Postgres,
    string SidecarPath,
    TimeSpan StartupTimeout,
    TimeSpan ChangeTimeout)
{
    /// <summary>The app whose configuration the benchmark changes.</summary>
    public const string AppId = "bench-config";
}
