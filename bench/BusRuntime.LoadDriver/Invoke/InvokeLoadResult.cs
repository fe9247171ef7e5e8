using BusRuntime.LoadDriver.Reporting;

namespace BusRuntime.LoadDriver.Invoke;

/// <summary>
/// One load shape (fixed rate, or as fast as the callers go) for the three paths: latency and throughput of
/// each, the CPU both sidecars spent and the bytes their runtimes allocated per call on the sidecar path, and the CPU
/// the stack floor spent answering per call on the bus path.
/// </summary>
public sealed record InvokeLoadResult(
    string Shape,
    ModeResult Direct,
    ModeResult ViaSidecars,
    ModeResult OnTheBus,
    double CallerSidecarCpuMicroseconds,
    double TargetSidecarCpuMicroseconds,
    double FloorCpuMicroseconds,
    double CallerSidecarAllocatedBytes,
    double TargetSidecarAllocatedBytes)
{
    public double AddedP50Ms => ViaSidecars.P50Ms - Direct.P50Ms;

    public double AddedP90Ms => ViaSidecars.P90Ms - Direct.P90Ms;

    public double AddedP99Ms => ViaSidecars.P99Ms - Direct.P99Ms;
}
