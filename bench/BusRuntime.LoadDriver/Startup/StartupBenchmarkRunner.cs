using BusRuntime.LoadDriver.Sidecar;

namespace BusRuntime.LoadDriver.Startup;

/// <summary>Starts the sidecar <c>starts</c> times, one after the other, and times each until readiness is UP.</summary>
public sealed class StartupBenchmarkRunner(string sidecarPath, string rabbitMqUri, TextWriter progress)
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);

    // Lets the sidecar finish what it does right after readiness (JIT, first GCs) before "idle" RSS is read, as the publish benchmark does.
    private static readonly TimeSpan IdleSettle = TimeSpan.FromSeconds(2);

    public async Task<StartupReport> RunAsync(int starts, CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid().ToString("N")[..8];
        var ready = new List<double>();
        var rss = new List<double>();
        var cpu = new List<double>();
        for (var start = 1; start <= starts; start++)
        {
            await using var sidecar = SidecarProcess.Start(sidecarPath, $"bench-start-{runId}-{start}", ["--transport", "RabbitMq", "--rabbitmq", rabbitMqUri]);
            var startToReady = await sidecar.WaitUntilReadyAsync(StartupTimeout, cancellationToken);
            var cpuToReady = sidecar.ProcessorTime;
            await Task.Delay(IdleSettle, cancellationToken);
            var idle = ProcessMemory.ResidentBytes(sidecar.ProcessId)
                ?? throw new LoadDriverException($"cannot read VmRSS of the sidecar (pid {sidecar.ProcessId}) from /proc; did it exit?");
            ready.Add(startToReady.TotalMilliseconds);
            rss.Add(idle / (1024.0 * 1024.0));
            cpu.Add(cpuToReady.TotalMilliseconds);
            await progress.WriteLineAsync(
                $"start {start}/{starts}: ready after {startToReady.TotalMilliseconds:0} ms ({cpuToReady.TotalMilliseconds:0} ms of CPU), RSS idle {idle / (1024.0 * 1024.0):0.0} MiB");
        }

        return new StartupReport(ready, cpu, rss);
    }
}
