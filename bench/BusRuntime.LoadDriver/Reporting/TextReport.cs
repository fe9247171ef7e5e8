using System.Globalization;

namespace BusRuntime.LoadDriver.Reporting;

/// <summary>Writes a report as a plain-text table a reader can paste into docs/benchmarks.md.</summary>
public static class TextReport
{
    private const double Mebibyte = 1024.0 * 1024.0;

    public static async Task WriteAsync(BenchmarkReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var parameters = report.Parameters;
        var machine = report.Machine;
        var lines = new List<string>
        {
            "",
            Invariant(
                $"{parameters.Messages} messages x {parameters.Rounds} round(s) per mode, {parameters.Concurrency} concurrent callers, {parameters.PayloadBytes}-byte payload, {parameters.Warmup} warm-up messages per mode"),
            Invariant(
                $"{machine.ProcessorCount} CPUs ({machine.CpuModel}), {machine.MemoryBytes / Mebibyte / 1024:0.0} GiB RAM, {machine.Os}, {machine.Runtime}, RabbitMQ {machine.RabbitMqVersion}"),
            "",
            Format("mode", "messages", "msg/s", "p50 ms", "p90 ms", "p99 ms", "max ms"),
            Row(report.Direct),
            Row(report.Sidecar),
            "",
            "CPU per message (µs; /proc) and machine busy (all CPUs, everyone's load):",
            Format("mode", "driver", "sidecar", "broker", "sum", "busy %"),
            CpuRow(report.Direct),
            CpuRow(report.Sidecar),
            "",
        };
        lines.AddRange(report.Rounds.Select(round => Invariant(
            $"round {round.Round} ({round.Order}): (a) {round.DirectMessagesPerSecond:0} msg/s, (b) {round.SidecarMessagesPerSecond:0} msg/s, b/a {round.Ratio:0.00}")));
        lines.Add(Invariant(
            $"throughput ratio b/a: {report.Ratio:0.00} over all rounds, median of rounds {report.MedianRoundRatio:0.00} (target >= {BenchmarkReport.TargetRatio:0.00}: {(report.TargetMet ? "met" : "NOT met")})"));
        var sidecar = report.SidecarProcess;
        lines.Add(Invariant(
            $"sidecar: start to readiness UP {sidecar.StartToReadyMs:0} ms; RSS idle {sidecar.RssIdleBytes / Mebibyte:0.0} MiB, peak under load {sidecar.RssPeakBytes / Mebibyte:0.0} MiB ({sidecar.RssSamples} samples); allocated {sidecar.AllocatedBytesPerMessage:N0} bytes per publish"));

        foreach (var line in lines)
        {
            await output.WriteLineAsync(line);
        }
    }

    private static string Row(ModeResult mode) => Format(
        mode.Name,
        mode.Messages.ToString(CultureInfo.InvariantCulture),
        Invariant($"{mode.MessagesPerSecond:0}"),
        Invariant($"{mode.P50Ms:0.00}"),
        Invariant($"{mode.P90Ms:0.00}"),
        Invariant($"{mode.P99Ms:0.00}"),
        Invariant($"{mode.MaxMs:0.0}"));

    private static string CpuRow(ModeResult mode) => Format(
        mode.Name,
        Invariant($"{mode.DriverCpuMicrosecondsPerMessage:0}"),
        Invariant($"{mode.SidecarCpuMicrosecondsPerMessage:0}"),
        mode.BrokerCpuMicrosecondsPerMessage is { } broker ? Invariant($"{broker:0}") : "n/a",
        Invariant($"{mode.DriverCpuMicrosecondsPerMessage + mode.SidecarCpuMicrosecondsPerMessage + (mode.BrokerCpuMicrosecondsPerMessage ?? 0):0}"),
        Invariant($"{mode.MachineBusyPercent:0}"));

    private static string Format(string mode, params string[] columns) =>
        $"{mode,-24}" + string.Concat(columns.Select(column => $"{column,10}"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
