using System.Globalization;
using BusRuntime.LoadDriver.AppConfiguration;
using BusRuntime.LoadDriver.Reporting;

namespace BusRuntime.LoadDriver.Workflow;

/// <summary>What the workflow benchmark measured, as plain text for docs/benchmarks.md.</summary>
public sealed record WorkflowReport(
    WorkflowBenchmarkSettings Settings,
    int Completed,
    int NotCompleted,
    TimeSpan Elapsed,
    Percentiles SagaCompletion,
    Percentiles ClientCompletion,
    Percentiles Start)
{
    private const double Mebibyte = 1024 * 1024;

    public async Task WriteAsync(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var machine = MachineInfo.Read("(same machine)");
        string[] lines =
        [
            "",
            Invariant($"3-step workflows, {Settings.PayloadBytes}-byte input, each step an invoke of an echo app behind a second sidecar; {Settings.Workflows} workflows, {Settings.Concurrency} in flight, {Settings.Warmup} warm-up; saga repository {(Settings.Postgres.Length > 0 ? "PostgreSQL" : "in memory")}, RabbitMQ"),
            Invariant($"{machine.ProcessorCount} CPUs ({machine.CpuModel}), {machine.MemoryBytes / (Mebibyte * 1024):0.0} GiB RAM, {machine.Os}, {machine.Runtime}"),
            "",
            Invariant($"completed: {Completed} of {Settings.Workflows}{(NotCompleted > 0 ? Invariant($" ({NotCompleted} ended otherwise)") : "")} in {Elapsed.TotalSeconds:0.0} s: {Completed / Elapsed.TotalSeconds:0.0} workflows/s"),
            Format("", "p50 ms", "p90 ms", "p99 ms", "max ms"),
            Row("completion (saga: started -> ended)", SagaCompletion),
            Row("completion (caller: start -> seen ended)", ClientCompletion),
            Row("StartWorkflow call", Start),
        ];
        foreach (var line in lines)
        {
            await output.WriteLineAsync(line);
        }
    }

    private static string Row(string name, Percentiles percentiles) => Format(
        name,
        Invariant($"{percentiles.P50Ms:0.0}"),
        Invariant($"{percentiles.P90Ms:0.0}"),
        Invariant($"{percentiles.P99Ms:0.0}"),
        Invariant($"{percentiles.MaxMs:0.0}"));

    private static string Format(string name, params string[] columns) =>
        $"{name,-42}" + string.Concat(columns.Select(column => $"{column,10}"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
