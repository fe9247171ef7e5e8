using System.Globalization;

namespace BusRuntime.LoadDriver.Sidecar;

/// <summary>Reads a process's resident set size as the kernel reports it.</summary>
public static class ProcessMemory
{
    /// <summary>VmRSS from /proc/&lt;pid&gt;/status, in bytes; null when the process is gone or the line is missing.</summary>
    public static long? ResidentBytes(int processId)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{processId}/status");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The line reads "VmRSS:     81234 kB".
        var line = lines.FirstOrDefault(candidate => candidate.StartsWith("VmRSS:", StringComparison.Ordinal));
        var fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields is { Length: >= 2 } && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes)
            ? kilobytes * 1024
            : null;
    }
}
