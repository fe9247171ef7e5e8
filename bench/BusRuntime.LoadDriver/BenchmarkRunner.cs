using System.Text.Json;
using BusRuntime.Contracts;
using BusRuntime.LoadDriver.Broker;
using BusRuntime.LoadDriver.Load;
using BusRuntime.LoadDriver.Reporting;
using BusRuntime.LoadDriver.Sidecar;
using BusRuntime.Protos.V1;
using Google.Protobuf;
using Grpc.Net.Client;

namespace BusRuntime.LoadDriver;

/// <summary>
/// One benchmark run: sets up the broker entities, starts the sidecar and the driver's own bus, warms both
/// modes up, runs the rounds, and reports. Progress goes to <paramref name="progress"/> (standard error),
/// the report to the output the caller gives.
/// </summary>
public sealed class BenchmarkRunner(LoadDriverSettings settings, TextWriter progress)
{
    // Lets the sidecar finish what it does right after readiness (JIT, first GCs) before "idle" RSS is read.
    private static readonly TimeSpan IdleSettle = TimeSpan.FromSeconds(2);

    public async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var runId = Guid.NewGuid().ToString("N")[..8];
        var appId = $"bench-{runId}";
        var topic = $"bench-{runId}";
        var pubsub = LoadDriverSettings.PubsubName;

        // Purged after every phase, so the limit only matters if something goes wrong.
        var queueLimit = Math.Max(settings.Messages, settings.Warmup);
        await using var topology = await BrokerTopology.CreateAsync(
            settings.RabbitMq, TopicNames.Exchange(pubsub, topic), TopicNames.Queue(appId, pubsub, topic), queueLimit, cancellationToken);
        await Progress($"RabbitMQ {topology.BrokerVersion} at {settings.RabbitMq}; events go to exchange {topology.Exchange}, bound to queue {topology.Queue}");

        await using var driverBus = await DriverBus.StartAsync(settings.RabbitMq.First, directReplyTo: false, cancellationToken);
        await using var sidecar = SidecarProcess.Start(settings.SidecarPath, appId, ["--transport", "RabbitMq", "--rabbitmq", settings.RabbitMqUri]);
        var startToReady = await sidecar.WaitUntilReadyAsync(settings.StartupTimeout, cancellationToken);
        await Progress($"sidecar {appId} (pid {sidecar.ProcessId}) ready {startToReady.TotalMilliseconds:0} ms after start");
        await Task.Delay(IdleSettle, cancellationToken);
        var idleRss = ProcessMemory.ResidentBytes(sidecar.ProcessId)
            ?? throw new LoadDriverException($"cannot read VmRSS of the sidecar (pid {sidecar.ProcessId}) from /proc; did it exit?");

        var payload = new byte[settings.PayloadBytes];
        new Random(payload.Length).NextBytes(payload);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{sidecar.GrpcPort}");
        ILoadTarget direct = new MassTransitPublishTarget(driverBus.Bus, pubsub, topic, appId, payload);
        ILoadTarget viaSidecar = new SidecarGrpcPublishTarget(new Runtime.RuntimeClient(channel), pubsub, topic, ByteString.CopyFrom(payload));
        using var broker = BrokerProcess.FindLocal();
        var phase = new LoadPhase(settings.Concurrency, settings.PhaseTimeout, new CpuClocks(sidecar, broker));

        var directPhases = new List<PhaseMeasurement>();
        var sidecarPhases = new List<PhaseMeasurement>();
        var rounds = new List<RoundResult>();
        var sidecarAllocated = 0L;
        SidecarResult sidecarResult;
        await using (var rss = new RssSampler(sidecar.ProcessId))
        {
            if (settings.Warmup > 0)
            {
                foreach (var (target, watched) in new[] { (direct, Array.Empty<SidecarProcess>()), (viaSidecar, [sidecar]) })
                {
                    await Progress($"warm-up {target.Name}: {settings.Warmup} messages");
                    await phase.RunAsync(target, settings.Warmup, cancellationToken);
                    await topology.PurgeAsync(cancellationToken);
                    await new JitSettledWarmUp(watched, Progress).RunAsync(
                        target.Name,
                        JitSettledWarmUp.BatchCalls(settings.Warmup),
                        async (calls, token) =>
                        {
                            await phase.RunAsync(target, calls, token);
                            await topology.PurgeAsync(token);
                        },
                        cancellationToken);
                }
            }

            for (var round = 1; round <= settings.Rounds; round++)
            {
                // Alternate the order so that whatever drifts during a run (the machine's other load,
                // the broker's disk) does not always favour the same mode.
                var directFirst = round % 2 == 1;
                var measured = new Dictionary<ILoadTarget, PhaseMeasurement>();
                foreach (var target in directFirst ? new[] { direct, viaSidecar } : [viaSidecar, direct])
                {
                    var allocatedBefore = target == viaSidecar ? await sidecar.AllocatedBytesAsync(cancellationToken) : 0;
                    measured[target] = await RunMeasuredAsync(phase, target, topology, round, cancellationToken);
                    if (target == viaSidecar)
                    {
                        sidecarAllocated += await sidecar.AllocatedBytesAsync(cancellationToken) - allocatedBefore;
                    }
                }

                directPhases.Add(measured[direct]);
                sidecarPhases.Add(measured[viaSidecar]);
                rounds.Add(new RoundResult(round, directFirst ? "a, b" : "b, a", ModeResult.Throughput(measured[direct]), ModeResult.Throughput(measured[viaSidecar])));
            }

            sidecarResult = new SidecarResult(
                startToReady.TotalMilliseconds, idleRss, rss.PeakBytes, rss.Samples, (double)sidecarAllocated / (settings.Messages * settings.Rounds));
        }

        var report = new BenchmarkReport(
            new RunParameters(settings.Messages, settings.Concurrency, settings.PayloadBytes, settings.Warmup, settings.Rounds),
            MachineInfo.Read(topology.BrokerVersion),
            ModeResult.From(directPhases),
            ModeResult.From(sidecarPhases),
            rounds,
            sidecarResult);
        if (settings.Json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(report, ReportJsonContext.Default.BenchmarkReport));
        }
        else
        {
            await TextReport.WriteAsync(report, output);
        }

        const double mebibyte = 1024 * 1024;
        await FigureFile.AppendAsync(
            settings.FiguresPath,
            ("publish.ratio", report.Ratio),
            ("publish.ratio_median", report.MedianRoundRatio),
            ("publish.rss_idle_mib", sidecarResult.RssIdleBytes / mebibyte),
            ("publish.rss_peak_mib", sidecarResult.RssPeakBytes / mebibyte),
            ("publish.start_ms", sidecarResult.StartToReadyMs),
            ("publish.sidecar_cpu_us", report.Sidecar.SidecarCpuMicrosecondsPerMessage),
            ("publish.sidecar_alloc_bytes", sidecarResult.AllocatedBytesPerMessage));
    }

    /// <summary>Runs one measured phase, then checks that every confirmed event reached the bound queue and empties it.</summary>
    private async Task<PhaseMeasurement> RunMeasuredAsync(LoadPhase phase, ILoadTarget target, BrokerTopology topology, int round, CancellationToken cancellationToken)
    {
        await Progress($"round {round}/{settings.Rounds} {target.Name}: {settings.Messages} messages, {settings.Concurrency} callers");
        var measured = await phase.RunAsync(target, settings.Messages, cancellationToken);
        var queued = await topology.CountAsync(cancellationToken);
        if (queued != settings.Messages)
        {
            throw new LoadDriverException(
                $"{target.Name}: {settings.Messages} publishes were confirmed but the queue {topology.Queue} holds {queued} events; routing is not what the benchmark assumes.");
        }

        await topology.PurgeAsync(cancellationToken);
        await Progress($"  {ModeResult.Throughput(measured):0} msg/s");
        return measured;
    }

    private async Task Progress(string message) => await progress.WriteLineAsync(message);
}
