using System.CommandLine;
using System.Globalization;
using BusRuntime.LoadDriver.Reporting;

namespace BusRuntime.LoadDriver.Summary;

/// <summary>
/// <c>busruntime-loaddriver summary --figures FILE</c>: the figures the benchmarks appended to FILE against issue 20's
/// targets, one row each: figure, target, measured, met or not. A figure no benchmark wrote reads "not run".
/// </summary>
public static class SummaryCommand
{
    public static IReadOnlyList<Target> Targets { get; } =
    [
        new("publish via the sidecar / raw MassTransit", "publish.ratio", "", "0.00", AtLeast: true, 0.85, "publish.ratio_median", "floor.publish_ratio"),
        new("sidecar RSS idle (publish benchmark)", "publish.rss_idle_mib", " MiB", "0.0", AtLeast: false, 60, Floor: "floor.publish_rss_idle_mib"),
        new("sidecar RSS peak under the publish benchmark", "publish.rss_peak_mib", " MiB", "0.0", AtLeast: false, 150, Floor: "floor.publish_rss_peak_mib"),
        new("start -> readiness UP (median of starts)", "startup.ready_median_ms", " ms", "0", AtLeast: false, 500, "startup.ready_min_ms", "floor.ready_median_ms"),
        new("state get added by the sidecar, p50, in memory", "state.InMemory.get_added_p50_ms", " ms", "0.000", AtLeast: false, 0.10, Floor: "floor.state_InMemory.get_added_p50_ms"),
        new("state get added by the sidecar, p50, PostgreSQL", "state.Postgres.get_added_p50_ms", " ms", "0.000", AtLeast: false, 0.10),
        new("invoke via 2 sidecars at 1000/s, p50", "invoke.p50_ms", " ms", "0.00", AtLeast: false, 1.5, Floor: "floor.invoke_p50_ms"),
        new("invoke via 2 sidecars at 1000/s, p99", "invoke.p99_ms", " ms", "0.00", AtLeast: false, 4, Floor: "floor.invoke_p99_ms"),
        new("CPU per invoke, both sidecars, at 1000/s", "invoke.sidecars_cpu_us", " µs", "0", AtLeast: false, 400),
        new("journal on / off", "journal.ratio", "", "0.00", AtLeast: true, 0.90, "journal.ratio_median"),
        new("allocated per publish, sidecar", "publish.sidecar_alloc_bytes", " B", "N0", AtLeast: false, null, Floor: "floor.publish_sidecar_alloc_bytes"),
        new("allocated per invoke, caller sidecar", "invoke.caller_alloc_bytes", " B", "N0", AtLeast: false, null),
        new("allocated per invoke, target sidecar", "invoke.target_alloc_bytes", " B", "N0", AtLeast: false, null),
        new("CPU per publish, sidecar", "publish.sidecar_cpu_us", " µs", "0", AtLeast: false, null, Floor: "floor.publish_sidecar_cpu_us"),
        new("CPU per invoke at 1000/s, the answering end alone with no sidecars (stack floor)", "floor.invoke_responder_cpu_us", " µs", "0", AtLeast: false, null),
        new("CPU used from start to readiness UP (median of starts)", "startup.cpu_median_ms", " ms", "0", AtLeast: false, null, Floor: "floor.cpu_median_ms"),
    ];

    public static Command Create()
    {
        var figures = new Option<string>("--figures") { Description = "The file the benchmarks appended their figures to (their --figures).", Required = true };
        var command = new Command("summary", "Prints issue 20's table from the figures the benchmarks appended to --figures: figure, target, measured, met or not.")
        {
            figures,
        };
        command.SetAction(LoadDriverAction.Guarded(async (result, _, _) =>
        {
            var path = result.GetValue(figures)!;
            if (!File.Exists(path))
            {
                throw new LoadDriverException($"--figures: the file '{path}' does not exist.");
            }

            foreach (var line in Table(FigureFile.Read(path)))
            {
                await result.InvocationConfiguration.Output.WriteLineAsync(line);
            }
        }));
        return command;
    }

    /// <summary>The table as Markdown, for docs/benchmarks.md as it is.</summary>
    public static IEnumerable<string> Table(IReadOnlyDictionary<string, double> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        yield return "| figure | target | measured | met |";
        yield return "|---|---|---|---|";
        foreach (var target in Targets)
        {
            var bound = target.Bound is { } value ? $"{(target.AtLeast ? ">=" : "<=")} {Number(value, target.Format)}{target.Unit}" : "(reported)";
            if (!figures.TryGetValue(target.Figure, out var measured))
            {
                yield return $"| {target.Label} | {bound} | not run | - |";
                continue;
            }

            var beside = new List<string>();
            if (target.Context is { } context && figures.TryGetValue(context, out var second))
            {
                beside.Add(context.EndsWith("_min_ms", StringComparison.Ordinal) ? $"min {Number(second, target.Format)}" : $"median of rounds {Number(second, target.Format)}");
            }

            if (target.Floor is { } floor && figures.TryGetValue(floor, out var stackAlone))
            {
                beside.Add($"stack floor {Number(stackAlone, target.Format)}{target.Unit}");
            }

            var shown = Number(measured, target.Format) + target.Unit + (beside.Count == 0 ? "" : $" ({string.Join("; ", beside)})");

            var met = target.Bound switch
            {
                null => "-",
                { } limit when (target.AtLeast ? measured >= limit : measured <= limit) => "met",
                _ => "NOT met",
            };
            yield return $"| {target.Label} | {bound} | {shown} | {met} |";
        }
    }

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
