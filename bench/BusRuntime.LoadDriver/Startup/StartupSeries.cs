namespace BusRuntime.LoadDriver.Startup;

/// <summary>
/// One program's starts: each start's time to readiness UP, the CPU time the process had used by then (less moved by other
/// load on the machine than the wall time), and its idle RSS, in the order of the starts.
/// </summary>
public sealed record StartupSeries(IReadOnlyList<double> ReadyMs, IReadOnlyList<double> CpuToReadyMs, IReadOnlyList<double> RssIdleMebibytes);
