namespace BusRuntime.LoadDriver.State;

/// <summary>One run of the state benchmark, as the command line set it.</summary>
public sealed record StateBenchmarkSettings(
    IReadOnlyList<StateBackend> Backends,
    IReadOnlyList<int> Concurrencies,
    int Calls,
    int Warmup,
    int Rounds,
    int Keys,
    int ValueBytes,
    string Postgres,
    string Redis,
    string SidecarPath,
    TimeSpan StartupTimeout,
    TimeSpan PhaseTimeout)
{
    /// <summary>The app id of the benchmark's sidecar; its keys are stored as "{AppId}||key-N".</summary>
    public const string AppId = "bench";

    /// <summary>The largest p50 the gRPC path may add to a get (the target).</summary>
    public static TimeSpan GetOverheadTarget { get; } = TimeSpan.FromMilliseconds(0.10);
}
