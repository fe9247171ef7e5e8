namespace BusRuntime.LoadDriver.Invoke;

/// <summary>A process's RSS once it was ready and idle, and the highest it reached while the benchmark ran.</summary>
public sealed record ProcessMemoryUse(long IdleBytes, long PeakBytes);
