using System.Globalization;

namespace BusRuntime.LoadDriver.Startup;

/// <summary>The sidecar's starts and, started alternately with them, the stack floor's (bench/BusRuntime.StackFloor).</summary>
public sealed record StartupReport(StartupSeries Sidecar, StartupSeries Floor)
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

            start-up, {Sidecar.ReadyMs.Count} starts of each, alternating (run --transport RabbitMq; readiness polled every 20 ms)
            {Lines("sidecar (busruntime.dll)", Sidecar)}
            {Lines("stack floor (ASP.NET Core, gRPC, MassTransit on RabbitMQ; nothing of BusRuntime)", Floor)}
            the sidecar above the floor, medians: start {Median(Sidecar.ReadyMs) - Median(Floor.ReadyMs):+0;-0} ms, CPU {Median(Sidecar.CpuToReadyMs) - Median(Floor.CpuToReadyMs):+0;-0} ms, RSS {Median(Sidecar.RssIdleMebibytes) - Median(Floor.RssIdleMebibytes):+0.0;-0.0} MiB
            """));
    }

    private static string Lines(string program, StartupSeries series) => string.Create(CultureInfo.InvariantCulture, $"""
        {program}
          start to readiness UP: min {series.ReadyMs.Min():0} ms, median {Median(series.ReadyMs):0} ms, max {series.ReadyMs.Max():0} ms ({string.Join(", ", series.ReadyMs.Select(ms => ms.ToString("0", CultureInfo.InvariantCulture)))})
          CPU used until ready (user + system): min {series.CpuToReadyMs.Min():0} ms, median {Median(series.CpuToReadyMs):0} ms
          RSS 2 s after ready: min {series.RssIdleMebibytes.Min():0.0} MiB, median {Median(series.RssIdleMebibytes):0.0} MiB, max {series.RssIdleMebibytes.Max():0.0} MiB
        """);
}
