using System.Globalization;

namespace BusRuntime.LoadDriver.Startup;

/// <summary>
/// Every start's time to readiness UP, the CPU time the sidecar had used by then (less moved by other load on the machine than
/// the wall time), and its idle RSS, in the order of the starts.
/// </summary>
public sealed record StartupReport(IReadOnlyList<double> ReadyMs, IReadOnlyList<double> CpuToReadyMs, IReadOnlyList<double> RssIdleMebibytes)
{
    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public async Task WriteAsync(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""

            sidecar start-up, {ReadyMs.Count} starts (dotnet busruntime.dll run --transport RabbitMq; readiness polled every 20 ms)
            start to readiness UP: min {ReadyMs.Min():0} ms, median {Median(ReadyMs):0} ms, max {ReadyMs.Max():0} ms ({string.Join(", ", ReadyMs.Select(ms => ms.ToString("0", CultureInfo.InvariantCulture)))})
            CPU used until ready (user + system): min {CpuToReadyMs.Min():0} ms, median {Median(CpuToReadyMs):0} ms
            RSS 2 s after ready: min {RssIdleMebibytes.Min():0.0} MiB, median {Median(RssIdleMebibytes):0.0} MiB, max {RssIdleMebibytes.Max():0.0} MiB
            """));
    }
}
