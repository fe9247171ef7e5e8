using System.Diagnostics;
using BusRuntime.LoadDriver.Load;

namespace BusRuntime.LoadDriver.Reporting;

/// <summary>
/// One publishing mode over all rounds: throughput, latency percentiles, the CPU each process spent per
/// message (broker: null when its process was not found) and how busy the whole machine was meanwhile.
/// </summary>
public sealed record ModeResult(
    string Name,
    int Messages,
    double ElapsedSeconds,
    double MessagesPerSecond,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    double DriverCpuMicrosecondsPerMessage,
    double SidecarCpuMicrosecondsPerMessage,
    double? BrokerCpuMicrosecondsPerMessage,
    double MachineBusyPercent)
{
    /// <summary>
    /// Pools the phases of one mode: throughput is all messages over all measured wall time, percentiles are
    /// over every call of every round (nearest rank).
    /// </summary>
    public static ModeResult From(IReadOnlyList<PhaseMeasurement> phases)
    {
        ArgumentNullException.ThrowIfNull(phases);
        var latencies = phases.SelectMany(phase => phase.LatencyTicks).Order().ToArray();
        var seconds = phases.Sum(phase => phase.Elapsed.TotalSeconds);
        var messages = latencies.Length;
        return new ModeResult(
            phases[0].Target,
            messages,
            seconds,
            messages / seconds,
            Milliseconds(Percentile(latencies, 0.50)),
            Milliseconds(Percentile(latencies, 0.90)),
            Milliseconds(Percentile(latencies, 0.99)),
            Milliseconds(latencies[^1]),
            phases.Sum(phase => phase.Cpu.Driver.TotalMicroseconds) / messages,
            phases.Sum(phase => phase.Cpu.Sidecar.TotalMicroseconds) / messages,
            phases.All(phase => phase.Cpu.Broker is not null) ? phases.Sum(phase => phase.Cpu.Broker!.Value.TotalMicroseconds) / messages : null,
            100.0 * phases.Sum(phase => phase.Cpu.MachineBusyTicks) / Math.Max(1, phases.Sum(phase => phase.Cpu.MachineTotalTicks)));
    }

    /// <summary>Throughput of one phase alone, for the per-round lines.</summary>
    public static double Throughput(PhaseMeasurement phase)
    {
        ArgumentNullException.ThrowIfNull(phase);
        return phase.LatencyTicks.Length / phase.Elapsed.TotalSeconds;
    }

    private static long Percentile(long[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
