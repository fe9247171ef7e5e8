namespace BusRuntime.LoadDriver.Load;

/// <summary>
/// What one phase measured: the latency of every call in <see cref="System.Diagnostics.Stopwatch"/> ticks,
/// the wall time of the whole phase, and the CPU used meanwhile.
/// </summary>
public sealed record PhaseMeasurement(string Target, long[] LatencyTicks, TimeSpan Elapsed, CpuUsage Cpu);
