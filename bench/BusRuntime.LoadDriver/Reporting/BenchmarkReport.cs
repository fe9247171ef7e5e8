namespace BusRuntime.LoadDriver.Reporting;

/// <summary>Everything one run measured; printed as a table or, with --json, as JSON.</summary>
public sealed record BenchmarkReport(
    RunParameters Parameters,
    MachineInfo Machine,
    ModeResult Direct,
    ModeResult Sidecar,
    IReadOnlyList<RoundResult> Rounds,
    SidecarResult SidecarProcess)
{
    /// <summary>The target: publishing through the sidecar keeps at least this share of raw MassTransit's throughput.</summary>
    public const double TargetRatio = 0.8;

    public double Target => TargetRatio;

    public double Ratio => Sidecar.MessagesPerSecond / Direct.MessagesPerSecond;

    public bool TargetMet => Ratio >= TargetRatio;
}
