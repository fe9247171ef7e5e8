namespace BusRuntime.LoadDriver.Invoke;

/// <summary>One run of the invoke benchmark, as the command line set it.</summary>
public sealed record InvokeBenchmarkSettings(
    int Rate,
    int RateCalls,
    int Calls,
    int Concurrency,
    int PayloadBytes,
    int Warmup,
    int Rounds,
    string Replies,
    string RabbitMqUri,
    string SidecarPath,
    string FloorPath,
    TimeSpan StartupTimeout,
    TimeSpan PhaseTimeout)
{
    /// <summary>The targets for a round trip through both sidecars on RabbitMQ at 1000 calls/s.</summary>
    public static TimeSpan P50Target { get; } = TimeSpan.FromMilliseconds(1.5);

    public static TimeSpan P99Target { get; } = TimeSpan.FromMilliseconds(4);
}
