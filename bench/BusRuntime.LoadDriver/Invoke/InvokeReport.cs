using System.Globalization;
using BusRuntime.LoadDriver.Reporting;

namespace BusRuntime.LoadDriver.Invoke;

/// <summary>What the invoke benchmark measured, written as plain text a reader can paste into docs/benchmarks.md.</summary>
public sealed record InvokeReport(
    InvokeBenchmarkSettings Settings,
    IReadOnlyList<InvokeLoadResult> Loads,
    ProcessMemoryUse CallerSidecar,
    ProcessMemoryUse TargetSidecar,
    ProcessMemoryUse Floor)
{
    private const double Mebibyte = 1024 * 1024;

    public async Task WriteAsync(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var machine = MachineInfo.Read("(same machine)");
        var lines = new List<string>
        {
            "",
            Invariant($"invoke round trip, {Settings.PayloadBytes}-byte payload each way; fixed rate: {Settings.RateCalls} calls at {Settings.Rate}/s; max: {Settings.Calls} calls, {Settings.Concurrency} callers; {Settings.Warmup} warm-up calls per path; {Settings.Rounds} round(s); replies by {Settings.Replies}"),
            Invariant($"{machine.ProcessorCount} CPUs ({machine.CpuModel}), {machine.MemoryBytes / (Mebibyte * 1024):0.0} GiB RAM, {machine.Os}, {machine.Runtime}"),
        };
        foreach (var load in Loads)
        {
            lines.Add("");
            lines.Add($"{load.Shape}:");
            lines.Add(Format("path", "calls/s", "p50 ms", "p90 ms", "p99 ms", "max ms"));
            lines.Add(Row(load.Direct));
            lines.Add(Row(load.ViaSidecars));
            lines.Add(Invariant($"  added by sidecars + bus: p50 +{load.AddedP50Ms:0.000} ms, p90 +{load.AddedP90Ms:0.000} ms, p99 +{load.AddedP99Ms:0.000} ms"));
            lines.Add(Invariant(
                $"  CPU per call: caller sidecar {load.CallerSidecarCpuMicroseconds:0} µs, target sidecar {load.TargetSidecarCpuMicroseconds:0} µs, broker {(load.ViaSidecars.BrokerCpuMicrosecondsPerMessage is { } broker ? Invariant($"{broker:0} µs") : "n/a")}, driver and apps {load.ViaSidecars.DriverCpuMicrosecondsPerMessage:0} µs; machine busy {load.ViaSidecars.MachineBusyPercent:0} %"));
            lines.Add(Invariant($"  allocated per call: caller sidecar {load.CallerSidecarAllocatedBytes:N0} bytes, target sidecar {load.TargetSidecarAllocatedBytes:N0} bytes"));
            lines.Add(Row(load.OnTheBus));
            lines.Add(Invariant(
                $"  the bus alone: CPU per call: answering stack floor {load.FloorCpuMicroseconds:0} µs, broker {(load.OnTheBus.BrokerCpuMicrosecondsPerMessage is { } floorBroker ? Invariant($"{floorBroker:0} µs") : "n/a")}, driver (the requester) {load.OnTheBus.DriverCpuMicrosecondsPerMessage:0} µs; machine busy {load.OnTheBus.MachineBusyPercent:0} %"));
        }

        var atRate = Loads[0].ViaSidecars;
        var met = atRate.P50Ms <= InvokeBenchmarkSettings.P50Target.TotalMilliseconds && atRate.P99Ms <= InvokeBenchmarkSettings.P99Target.TotalMilliseconds;
        lines.Add("");
        lines.Add(Invariant(
            $"target at {Settings.Rate}/s: p50 <= {InvokeBenchmarkSettings.P50Target.TotalMilliseconds:0.0} ms and p99 <= {InvokeBenchmarkSettings.P99Target.TotalMilliseconds:0} ms through the sidecars: {(met ? "met" : "NOT met")} (p50 {atRate.P50Ms:0.000} ms, p99 {atRate.P99Ms:0.000} ms)"));
        lines.Add(Invariant(
            $"RSS idle / peak: caller sidecar {CallerSidecar.IdleBytes / Mebibyte:0.0} / {CallerSidecar.PeakBytes / Mebibyte:0.0} MiB, target sidecar {TargetSidecar.IdleBytes / Mebibyte:0.0} / {TargetSidecar.PeakBytes / Mebibyte:0.0} MiB, stack floor {Floor.IdleBytes / Mebibyte:0.0} / {Floor.PeakBytes / Mebibyte:0.0} MiB"));
        foreach (var line in lines)
        {
            await output.WriteLineAsync(line);
        }
    }

    /// <summary>The fixed-rate figures the issue sets targets for, the allocations per call, and the bus path's as the stack floor.</summary>
    public Task AppendFiguresAsync(string? path)
    {
        var atRate = Loads[0];
        return FigureFile.AppendAsync(
            path,
            ("invoke.p50_ms", atRate.ViaSidecars.P50Ms),
            ("invoke.p99_ms", atRate.ViaSidecars.P99Ms),
            ("invoke.sidecars_cpu_us", atRate.CallerSidecarCpuMicroseconds + atRate.TargetSidecarCpuMicroseconds),
            ("invoke.caller_alloc_bytes", atRate.CallerSidecarAllocatedBytes),
            ("invoke.target_alloc_bytes", atRate.TargetSidecarAllocatedBytes),
            ("floor.invoke_p50_ms", atRate.OnTheBus.P50Ms),
            ("floor.invoke_p99_ms", atRate.OnTheBus.P99Ms),
            ("floor.invoke_responder_cpu_us", atRate.FloorCpuMicroseconds));
    }

    private static string Row(ModeResult mode) => Format(
        mode.Name,
        Invariant($"{mode.MessagesPerSecond:0}"),
        Invariant($"{mode.P50Ms:0.000}"),
        Invariant($"{mode.P90Ms:0.000}"),
        Invariant($"{mode.P99Ms:0.000}"),
        Invariant($"{mode.MaxMs:0.0}"));

    private static string Format(string path, params string[] columns) =>
        $"{path,-34}" + string.Concat(columns.Select(column => $"{column,10}"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
