using System.Diagnostics;

namespace BusRuntime.LoadDriver.AppConfiguration;

/// <summary>Nearest-rank percentiles of Stopwatch tick durations, in milliseconds.</summary>
public sealed record Percentiles(double P50Ms, double P90Ms, double P99Ms, double MaxMs)
{
    public static Percentiles Of(IReadOnlyList<long> ticks)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        var sorted = ticks.Order().ToArray();
        return new Percentiles(At(sorted, 0.50), At(sorted, 0.90), At(sorted, 0.99), Milliseconds(sorted[^1]));
    }

    private static double At(long[] sorted, double quantile) =>
        Milliseconds(sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)]);

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
