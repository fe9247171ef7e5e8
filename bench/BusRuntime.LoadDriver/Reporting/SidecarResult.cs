namespace BusRuntime.LoadDriver.Reporting;

/// <summary>
/// The sidecar process: time from process start to readiness UP, RSS once ready and idle, and the
/// highest RSS sampled (every 100 ms) while the load ran, and the bytes its runtime allocated per measured publish.
/// </summary>
public sealed record SidecarResult(double StartToReadyMs, long RssIdleBytes, long RssPeakBytes, int RssSamples, double AllocatedBytesPerMessage);
