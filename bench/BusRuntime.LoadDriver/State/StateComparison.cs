using BusRuntime.LoadDriver.Reporting;

namespace BusRuntime.LoadDriver.State;

/// <summary>One operation on one backend at one concurrency: the store in-process against the same calls through the sidecar.</summary>
public sealed record StateComparison(StateBackend Backend, string Operation, int Concurrency, ModeResult InProcess, ModeResult Sidecar)
{
    public double AddedP50Ms => Sidecar.P50Ms - InProcess.P50Ms;

    public double AddedP99Ms => Sidecar.P99Ms - InProcess.P99Ms;

    public double ThroughputRatio => Sidecar.MessagesPerSecond / InProcess.MessagesPerSecond;
}
