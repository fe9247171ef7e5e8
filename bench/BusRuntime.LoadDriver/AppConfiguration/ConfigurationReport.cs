using System.Globalization;
using BusRuntime.LoadDriver.Reporting;

namespace BusRuntime.LoadDriver.AppConfiguration;

/// <summary>Writes the configuration benchmark as plain text a reader can paste into docs/benchmarks.md.</summary>
public static class ConfigurationReport
{
    public static async Task WriteAsync(ConfigurationBenchmarkSettings settings, PropagationResult result, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        var machine = MachineInfo.Read("n/a");
        string[] lines =
        [
            "",
            Invariant($"{result.Changes} changes one at a time ({settings.Warmup} warm-up changes before), {settings.Keys} keys, two sidecars on RabbitMQ sharing configstore on PostgreSQL"),
            Invariant($"{machine.ProcessorCount} CPUs ({machine.CpuModel}), {machine.MemoryBytes / (1024.0 * 1024 * 1024):0.0} GiB RAM, {machine.Os}, {machine.Runtime}"),
            "",
            Invariant($"{"",-52}{"p50 ms",10}{"p90 ms",10}{"p99 ms",10}{"max ms",10}"),
            Row("save sent -> change on the other sidecar's stream", result.Propagation),
            Row("SaveConfiguration call (commit + publish)", result.Save),
        ];
        foreach (var line in lines)
        {
            await output.WriteLineAsync(line);
        }
    }

    private static string Row(string name, Percentiles percentiles) =>
        Invariant($"{name,-52}{percentiles.P50Ms,10:0.00}{percentiles.P90Ms,10:0.00}{percentiles.P99Ms,10:0.00}{percentiles.MaxMs,10:0.00}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
