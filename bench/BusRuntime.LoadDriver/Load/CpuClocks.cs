using System.Diagnostics;
using System.Globalization;
using BusRuntime.LoadDriver.Sidecar;

namespace BusRuntime.LoadDriver.Load;

/// <summary>Reads the CPU time of the driver, the sidecar and the broker, and the machine's CPU ticks, in one go.</summary>
public sealed class CpuClocks(SidecarProcess sidecar, Process? broker)
{
    public CpuUsage Read()
    {
        using var driver = Process.GetCurrentProcess();
        var (busy, total) = MachineTicks();
        return new CpuUsage(driver.TotalProcessorTime, sidecar.ProcessorTime, broker is null ? null : ProcessorTime(broker), busy, total);
    }

    private static TimeSpan? ProcessorTime(Process process)
    {
        process.Refresh();
        return process.HasExited ? null : process.TotalProcessorTime;
    }

    // The first line of /proc/stat: "cpu  user nice system idle iowait irq softirq steal guest guest_nice" in
    // clock ticks; idle and iowait are the time nobody used. Guest time is already inside user and nice.
    private static (long Busy, long Total) MachineTicks()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = fields.Skip(1).Take(8).Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        var total = ticks.Sum();
        return (total - ticks[3] - ticks[4], total);
    }
}
