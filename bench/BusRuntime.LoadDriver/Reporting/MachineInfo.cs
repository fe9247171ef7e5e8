using System.Globalization;
using System.Runtime.InteropServices;

namespace BusRuntime.LoadDriver.Reporting;

/// <summary>The machine the numbers were measured on.</summary>
public sealed record MachineInfo(int ProcessorCount, string CpuModel, long MemoryBytes, string Os, string Runtime, string RabbitMqVersion)
{
    public static MachineInfo Read(string rabbitMqVersion) => new(
        Environment.ProcessorCount,
        ProcField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        MemoryBytesTotal(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        rabbitMqVersion);

    // "MemTotal:       24567890 kB"
    private static long MemoryBytesTotal() =>
        ProcField("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var kilobytes, ..]
        && long.TryParse(kilobytes, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value * 1024
            : 0;

    private static string? ProcField(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var line = File.ReadLines(path).FirstOrDefault(candidate => candidate.StartsWith(key, StringComparison.Ordinal));
        return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
