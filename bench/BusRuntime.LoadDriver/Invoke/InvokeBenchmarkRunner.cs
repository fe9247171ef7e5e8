using System.Globalization;
using BusRuntime.LoadDriver.Broker;
using BusRuntime.LoadDriver.Load;
using BusRuntime.LoadDriver.Reporting;
using BusRuntime.LoadDriver.Sidecar;
using BusRuntime.Protos.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace BusRuntime.LoadDriver.Invoke;

/// <summary>
/// The invoke benchmark: app B (an echo server in this process) behind its sidecar, app A's sidecar, both
/// child processes on RabbitMQ, and the stack floor (bench/BusRuntime.StackFloor) answering invocations on the bus.
/// Each round runs three paths — (a) A calls B directly, (b) A calls InvokeService on its sidecar, (c) A sends the
/// invocation on the bus itself and the stack floor answers, no sidecar on either side — at a fixed rate and then as
/// fast as a fixed number of callers go, the order of the paths alternating. (b) − (a) is what the sidecars and the bus
/// add; (c) is what the bus alone costs.
/// </summary>
public sealed class InvokeBenchmarkRunner(InvokeBenchmarkSettings settings, TextWriter progress)
{
    private static readonly TimeSpan IdleSettle = TimeSpan.FromSeconds(2);

    public async Task<InvokeReport> RunAsync(CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid().ToString("N")[..8];
        var targetAppId = $"bench-b-{runId}";
        var environment = new Dictionary<string, string> { ["BusRuntime__InvokeReplies"] = settings.Replies };
        await using var echo = await EchoApp.StartAsync(cancellationToken);
        await using var target = SidecarProcess.Start(
            settings.SidecarPath,
            targetAppId,
            ["--transport", "RabbitMq", "--rabbitmq", settings.RabbitMqUri, "--app-port", echo.Port.ToString(CultureInfo.InvariantCulture)],
            environment);
        await using var caller = SidecarProcess.Start(settings.SidecarPath, $"bench-a-{runId}", ["--transport", "RabbitMq", "--rabbitmq", settings.RabbitMqUri], environment);
        await target.WaitUntilReadyAsync(settings.StartupTimeout, cancellationToken);
        await caller.WaitUntilReadyAsync(settings.StartupTimeout, cancellationToken);
        var floorAppId = $"bench-floor-{runId}";
        await using var floor = SidecarProcess.Start(settings.FloorPath, floorAppId, ["--transport", "RabbitMq", "--rabbitmq", FirstNode(settings.RabbitMqUri)]);
        await floor.WaitUntilReadyAsync(settings.StartupTimeout, cancellationToken);
        await using var driverBus = await DriverBus.StartAsync(
            LoadDriverCommand.LocalBroker(settings.RabbitMqUri).First, settings.Replies == "DirectReplyTo", cancellationToken);

        var payload = new byte[settings.PayloadBytes];
        new Random(payload.Length).NextBytes(payload);
        using var toEcho = GrpcChannel.ForAddress($"http://127.0.0.1:{echo.Port}");
        using var toCaller = GrpcChannel.ForAddress($"http://127.0.0.1:{caller.GrpcPort}");
        ILoadTarget direct = new DirectInvokeTarget(new Protos.Dapr.Runtime.V1.AppCallback.AppCallbackClient(toEcho), ByteString.CopyFrom(payload));
        ILoadTarget viaSidecars = new SidecarInvokeTarget(new Runtime.RuntimeClient(toCaller), targetAppId, ByteString.CopyFrom(payload));
        ILoadTarget onTheBus = new BusInvokeTarget(driverBus.ClientFor(floorAppId), floorAppId, payload);
        await WaitUntilServedAsync(viaSidecars, cancellationToken);
        await Progress(
            $"sidecars ready: caller pid {caller.ProcessId}, target {targetAppId} pid {target.ProcessId} (app B on port {echo.Port}); stack floor pid {floor.ProcessId}; replies by {settings.Replies}");
        await Task.Delay(IdleSettle, cancellationToken);
        var idle = (
            Caller: ProcessMemory.ResidentBytes(caller.ProcessId) ?? 0,
            Target: ProcessMemory.ResidentBytes(target.ProcessId) ?? 0,
            Floor: ProcessMemory.ResidentBytes(floor.ProcessId) ?? 0);

        using var broker = BrokerProcess.FindLocal();
        var clocks = new CpuClocks(caller, broker);
        var closedLoop = new LoadPhase(settings.Concurrency, settings.PhaseTimeout, clocks);
        var fixedRate = new FixedRatePhase(settings.Rate, settings.PhaseTimeout, clocks);
        var measured = new Dictionary<(string Shape, ILoadTarget Target), List<PhaseMeasurement>>();
        var targetCpu = new Dictionary<string, TimeSpan>();
        var floorCpu = new Dictionary<string, TimeSpan>();
        var allocated = new Dictionary<string, (long Caller, long Target)>();
        await using var callerRss = new RssSampler(caller.ProcessId);
        await using var targetRss = new RssSampler(target.ProcessId);
        await using var floorRss = new RssSampler(floor.ProcessId);
        ILoadTarget[] paths = [direct, viaSidecars, onTheBus];
        foreach (var path in paths)
        {
            await Progress($"warm-up {path.Name}: {settings.Warmup} calls, {settings.Concurrency} callers");
            await closedLoop.RunAsync(path, settings.Warmup, cancellationToken);
            SidecarProcess[] watched = path == viaSidecars ? [caller, target] : path == onTheBus ? [floor] : [];
            await new JitSettledWarmUp(watched, Progress).RunAsync(
                path.Name, JitSettledWarmUp.BatchCalls(settings.Warmup), (calls, token) => closedLoop.RunAsync(path, calls, token), cancellationToken);
        }

        var rateShape = $"{settings.Rate} calls/s";
        var maxShape = $"max, {settings.Concurrency} callers";
        for (var round = 1; round <= settings.Rounds; round++)
        {
            // Alternate the order so that whatever drifts during a run does not always favour the same path.
            foreach (var path in round % 2 == 1 ? paths : [onTheBus, viaSidecars, direct])
            {
                foreach (var (shape, run) in new (string, Func<Task<PhaseMeasurement>>)[]
                {
                    (rateShape, () => fixedRate.RunAsync(path, settings.RateCalls, cancellationToken)),
                    (maxShape, () => closedLoop.RunAsync(path, settings.Calls, cancellationToken)),
                })
                {
                    var targetBefore = target.ProcessorTime;
                    var floorBefore = floor.ProcessorTime;
                    var allocatedBefore = path == viaSidecars ? await AllocatedBytesAsync(caller, target, cancellationToken) : default;
                    var phase = await run();
                    if (path == viaSidecars)
                    {
                        targetCpu[shape] = targetCpu.GetValueOrDefault(shape) + (target.ProcessorTime - targetBefore);
                        var allocatedAfter = await AllocatedBytesAsync(caller, target, cancellationToken);
                        var sum = allocated.GetValueOrDefault(shape);
                        allocated[shape] = (sum.Caller + allocatedAfter.Caller - allocatedBefore.Caller, sum.Target + allocatedAfter.Target - allocatedBefore.Target);
                    }

                    if (path == onTheBus)
                    {
                        floorCpu[shape] = floorCpu.GetValueOrDefault(shape) + (floor.ProcessorTime - floorBefore);
                    }

                    measured.TryAdd((shape, path), []);
                    measured[(shape, path)].Add(phase);
                    await Progress($"round {round}/{settings.Rounds} {path.Name}, {shape}: {ModeResult.Throughput(phase):0} calls/s, p50 {ModeResult.From([phase]).P50Ms:0.000} ms");
                }
            }
        }

        var results = new[] { rateShape, maxShape }.Select(shape =>
        {
            var sidecarPhases = measured[(shape, viaSidecars)];
            var calls = sidecarPhases.Sum(phase => phase.LatencyTicks.Length);
            var busPhases = measured[(shape, onTheBus)];
            return new InvokeLoadResult(
                shape,
                ModeResult.From(measured[(shape, direct)]),
                ModeResult.From(sidecarPhases),
                ModeResult.From(busPhases),
                sidecarPhases.Sum(phase => phase.Cpu.Sidecar.TotalMicroseconds) / calls,
                targetCpu[shape].TotalMicroseconds / calls,
                floorCpu[shape].TotalMicroseconds / busPhases.Sum(phase => phase.LatencyTicks.Length),
                (double)allocated[shape].Caller / calls,
                (double)allocated[shape].Target / calls);
        }).ToList();
        return new InvokeReport(
            settings,
            results,
            new ProcessMemoryUse(idle.Caller, callerRss.PeakBytes),
            new ProcessMemoryUse(idle.Target, targetRss.PeakBytes),
            new ProcessMemoryUse(idle.Floor, floorRss.PeakBytes));
    }

    /// <summary>
    /// The first node of --rabbitmq as one amqp:// URI: the floor takes a single broker. On a cluster (scripts/bench.sh
    /// cluster) its queue is therefore a classic one on that node, where the sidecars' are quorum queues, so path (c) is
    /// not like for like there, and the cluster comparison shows only paths (a) and (b).
    /// </summary>
    private static string FirstNode(string rabbitMqUri)
    {
        var first = LoadDriverCommand.LocalBroker(rabbitMqUri).First;
        var virtualHost = first.VirtualHost == "/" ? "" : Uri.EscapeDataString(first.VirtualHost);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"amqp://{Uri.EscapeDataString(first.Username)}:{Uri.EscapeDataString(first.Password)}@{first.Host}:{first.Port}/{virtualHost}");
    }

    private static async Task<(long Caller, long Target)> AllocatedBytesAsync(SidecarProcess caller, SidecarProcess target, CancellationToken cancellationToken) =>
        (await caller.AllocatedBytesAsync(cancellationToken), await target.AllocatedBytesAsync(cancellationToken));

    /// <summary>Calls through the sidecars until the target's sidecar consumes its queue (UNAVAILABLE until then).</summary>
    private async Task WaitUntilServedAsync(ILoadTarget viaSidecars, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.StartupTimeout);
        while (true)
        {
            try
            {
                await viaSidecars.CallAsync(deadline.Token);
                return;
            }
            catch (RpcException notYet) when (notYet.StatusCode == StatusCode.Unavailable && !deadline.IsCancellationRequested)
            {
                await Task.Delay(100, deadline.Token);
            }
            catch (Exception failure) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new LoadDriverException($"the target's sidecar did not serve invocations within {settings.StartupTimeout.TotalSeconds:0}s: {failure.Message}", failure);
            }
        }
    }

    private async Task Progress(string message) => await progress.WriteLineAsync(message);
}
