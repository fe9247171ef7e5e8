namespace BusRuntime.LoadDriver.Load;

/// <summary>
/// CPU time of the processes in play — the driver, the sidecar and, when found, the broker — and the
/// machine's busy and total CPU ticks from /proc/stat, which also count everyone else's load.
/// </summary>
public sealed record CpuUsage(TimeSpan Driver, TimeSpan Sidecar, TimeSpan? Broker, long MachineBusyTicks, long MachineTotalTicks)
{
    /// <summary>The share of all the machine's CPUs that was busy, 0 to 1.</summary>
    public double MachineBusyShare => MachineTotalTicks == 0 ? 0 : (double)MachineBusyTicks / MachineTotalTicks;

    /// <summary>What was used between <paramref name="earlier"/> and this reading.</summary>
    public CpuUsage Since(CpuUsage earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return new CpuUsage(
            Driver - earlier.Driver,
            Sidecar - earlier.Sidecar,
            Broker - earlier.Broker,
            MachineBusyTicks - earlier.MachineBusyTicks,
            MachineTotalTicks - earlier.MachineTotalTicks);
    }
}
