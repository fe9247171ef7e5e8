using System.CommandLine;
using BusRuntime.LoadDriver.Reporting;
using BusRuntime.LoadDriver.Sidecar;

namespace BusRuntime.LoadDriver.Invoke;

/// <summary><c>busruntime-loaddriver invoke</c>: a round trip through two sidecars and RabbitMQ against a direct gRPC call.</summary>
public static class InvokeBenchmarkCommand
{
    public static Command Create()
    {
        var rate = new Option<int>("--rate") { Description = "Calls per second of the fixed-rate phase.", DefaultValueFactory = _ => 1_000 }.Bounded(1, 100_000);
        var rateCalls = new Option<int>("--rate-calls") { Description = "Measured calls per path and round at the fixed rate.", DefaultValueFactory = _ => 20_000 }.Bounded(1, 1_000_000);
        var calls = new Option<int>("--calls") { Description = "Measured calls per path and round as fast as the callers go.", DefaultValueFactory = _ => 20_000 }.Bounded(1, 1_000_000);
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent callers of the max-throughput phase, each awaiting its call before the next.", DefaultValueFactory = _ => 32 }.Bounded(1, 1024);
        var payloadBytes = new Option<int>("--payload-bytes") { Description = "Bytes of data in every request (the echo answers as many).", DefaultValueFactory = _ => 1024 }.Bounded(1, 4 * 1024 * 1024);
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured calls per path before the rounds; enough for the JIT to finish optimizing both paths.", DefaultValueFactory = _ => 20_000 }.Bounded(0, 1_000_000);
        var rounds = new Option<int>("--rounds") { Description = "Rounds; both paths run in each, the order alternating.", DefaultValueFactory = _ => 2 }.Bounded(1, 10);
        var replies = new Option<string>("--replies") { Description = "How answers come back (the sidecars' BusRuntime:InvokeReplies): DirectReplyTo or ResponseQueue.", DefaultValueFactory = _ => "DirectReplyTo" };
        replies.AcceptOnlyFromAmong("DirectReplyTo", "ResponseQueue");
        var rabbitMq = new Option<string>("--rabbitmq") { Description = "The RabbitMQ broker on this machine.", DefaultValueFactory = _ => "amqp://guest:guest@127.0.0.1:5672/" };
        var sidecarPath = new Option<string?>("--sidecar-path") { Description = "busruntime.dll to start as the sidecars. Default: the Release build of src/BusRuntime.Sidecar in this repository." };
        var floorPath = new Option<string?>("--floor-path") { Description = "busruntime-stackfloor.dll to start as the bus path's answering app. Default: the Release build of bench/BusRuntime.StackFloor in this repository." };
        var figures = FigureFile.CreateOption();

        var command = new Command(
            "invoke",
            "Measures a service invocation round trip A -> sidecar -> RabbitMQ -> sidecar -> B -> back against A calling B's OnInvoke " +
            "directly and against A sending the invocation on the bus itself to the stack floor (no sidecars), at a fixed rate and at maximum " +
            "throughput, and prints latency percentiles, what the sidecars add, their CPU per call and their RSS.")
        {
            rate, rateCalls, calls, concurrency, payloadBytes, warmup, rounds, replies, rabbitMq, sidecarPath, floorPath, figures,
        };
        command.SetAction(LoadDriverAction.Guarded(async (result, error, cancellationToken) =>
        {
            var uri = result.GetValue(rabbitMq)!;
            LoadDriverCommand.LocalBroker(uri);
            var settings = new InvokeBenchmarkSettings(
                result.GetValue(rate),
                result.GetValue(rateCalls),
                result.GetValue(calls),
                result.GetValue(concurrency),
                result.GetValue(payloadBytes),
                result.GetValue(warmup),
                result.GetValue(rounds),
                result.GetValue(replies)!,
                uri,
                result.GetValue(sidecarPath) ?? SidecarLocator.DefaultPath(),
                SidecarLocator.FloorPath(result.GetValue(floorPath)),
                TimeSpan.FromSeconds(30),
                TimeSpan.FromMinutes(5));
            var report = await new InvokeBenchmarkRunner(settings, error).RunAsync(cancellationToken);
            await report.WriteAsync(result.InvocationConfiguration.Output);
            await report.AppendFiguresAsync(result.GetValue(figures));
        }));
        return command;
    }
}
