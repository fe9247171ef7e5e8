using BusRuntime.LoadDriver.Sidecar;

namespace BusRuntime.LoadDriver.Startup;

/// <summary>
/// Starts the sidecar and the stack floor <c>starts</c> times each, alternating (whatever drifts on the machine then
/// moves both alike), one process at a time, and times each until readiness is UP.
/// </summary>
public sealed class StartupBenchmarkRunner(string sidecarPath, string floorPath, string rabbitMqUri, TextWriter progress)
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);

    // Lets the process finish what it does right after readiness (JIT, first GCs) before "idle" RSS is read, as the publish benchmark does.
    private static readonly TimeSpan IdleSettle = TimeSpan.FromSeconds(2);

    public async Task<StartupReport> RunAsync(int starts, CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid().ToString("N")[..8];
        var sidecar = new Measured();
        var floor = new Measured();
        for (var start = 1; start <= starts; start++)
        {
            var order = start % 2 == 1 ? new[] { ("sidecar", sidecarPath, sidecar), ("floor", floorPath, floor) } : [("floor", floorPath, floor), ("sidecar", sidecarPath, sidecar)];
            foreach (var (name, path, measured) in order)
            {
                await using var process = SidecarProcess.Start(path, $"bench-start-{runId}-{name}-{start}", ["--transport", "RabbitMq", "--rabbitmq", rabbitMqUri]);
                var startToReady = await process.WaitUntilReadyAsync(StartupTimeout, cancellationToken);
                var cpuToReady = process.ProcessorTime;
                await Task.Delay(IdleSettle, cancellationToken);
                var idle = ProcessMemory.ResidentBytes(process.ProcessId)
                    ?? throw new LoadDriverException($"cannot read VmRSS of the {name} (pid {process.ProcessId}) from /proc; did it exit?");
                measured.Ready.Add(startToReady.TotalMilliseconds);
                measured.Rss.Add(idle / (1024.0 * 1024.0));
                measured.Cpu.Add(cpuToReady.TotalMilliseconds);
                await progress.WriteLineAsync(
                    $"start {start}/{starts}, {name}: ready after {startToReady.TotalMilliseconds:0} ms ({cpuToReady.TotalMilliseconds:0} ms of CPU), RSS idle {idle / (1024.0 * 1024.0):0.0} MiB");
            }
        }

        return new StartupReport(sidecar.Series, floor.Series);
    }

    private sealed class Measured
    {
        public List<double> Ready { get; } = [];

        public List<double> Cpu { get; } = [];

        public List<double> Rss { get; } = [];

        public StartupSeries Series => new(Ready, Cpu, Rss);
    }
}
