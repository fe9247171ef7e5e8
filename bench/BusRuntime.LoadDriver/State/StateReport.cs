using System.Globalization;
using BusRuntime.LoadDriver.Reporting;

namespace BusRuntime.LoadDriver.State;

/// <summary>Writes the state benchmark as plain-text tables a reader can paste into docs/benchmarks.md.</summary>
public static class StateReport
{
    public static async Task WriteAsync(StateBenchmarkSettings settings, IReadOnlyList<StateComparison> comparisons, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(comparisons);
        ArgumentNullException.ThrowIfNull(output);
        var machine = MachineInfo.Read("n/a");
        var lines = new List<string>
        {
            "",
            Invariant($"{settings.Calls} calls x {settings.Rounds} round(s) per path, {settings.Warmup} warm-up calls, {settings.Keys} keys, {settings.ValueBytes}-byte values, random keys"),
            Invariant($"{machine.ProcessorCount} CPUs ({machine.CpuModel}), {machine.MemoryBytes / (1024.0 * 1024 * 1024):0.0} GiB RAM, {machine.Os}, {machine.Runtime}"),
        };
        foreach (var group in comparisons.GroupBy(comparison => comparison.Backend))
        {
            lines.Add("");
            lines.Add($"{group.Key}:");
            lines.Add(Format("path", "callers", "calls/s", "p50 ms", "p90 ms", "p99 ms", "sidecar µs/call"));
            foreach (var comparison in group)
            {
                lines.Add(Row(comparison.InProcess, comparison.Concurrency));
                lines.Add(Row(comparison.Sidecar, comparison.Concurrency));
                lines.Add(Invariant(
                    $"  added by gRPC + sidecar: p50 +{comparison.AddedP50Ms:0.000} ms, p99 +{comparison.AddedP99Ms:0.000} ms, throughput x{comparison.ThroughputRatio:0.00}"));
            }
        }

        lines.Add("");
        var target = StateBenchmarkSettings.GetOverheadTarget.TotalMilliseconds;
        foreach (var get in comparisons.Where(comparison => comparison is { Operation: "get", Concurrency: 1 }))
        {
            lines.Add(Invariant($"{get.Backend}: a get through the sidecar adds {get.AddedP50Ms:0.000} ms at p50 (target <= {target:0.00} ms: {(get.AddedP50Ms <= target ? "met" : "NOT met")})"));
        }

        foreach (var line in lines)
        {
            await output.WriteLineAsync(line);
        }
    }

    private static string Row(ModeResult mode, int concurrency) => Format(
        mode.Name,
        concurrency.ToString(CultureInfo.InvariantCulture),
        Invariant($"{mode.MessagesPerSecond:0}"),
        Invariant($"{mode.P50Ms:0.000}"),
        Invariant($"{mode.P90Ms:0.000}"),
        Invariant($"{mode.P99Ms:0.000}"),
        Invariant($"{mode.SidecarCpuMicrosecondsPerMessage:0}"));

    private static string Format(string path, params string[] columns) =>
        $"{path,-26}" + string.Concat(columns.Select(column => $"{column,10}"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
