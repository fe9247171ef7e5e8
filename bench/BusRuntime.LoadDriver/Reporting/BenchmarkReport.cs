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
    public const double TargetRatio = 0.85;

    public double Target => TargetRatio;

    public double Ratio => Sidecar.MessagesPerSecond / Direct.MessagesPerSecond;

    /// <summary>The median of the rounds' own ratios: less moved than <see cref="Ratio"/> by one round that other load slowed.</summary>
    public double MedianRoundRatio
    {
        get
        {
            var ratios = Rounds.Select(round => round.Ratio).Order().ToArray();
            var middle = ratios.Length / 2;
            return ratios.Length % 2 == 1 ? ratios[middle] : (ratios[middle - 1] + ratios[middle]) / 2;
        }
    }

    public bool TargetMet => Ratio >= TargetRatio;
}
