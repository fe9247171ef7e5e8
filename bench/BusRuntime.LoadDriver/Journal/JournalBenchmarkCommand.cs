using System.CommandLine;
using BusRuntime.LoadDriver.Reporting;
using BusRuntime.LoadDriver.Sidecar;
using BusRuntime.LoadDriver.State;

namespace BusRuntime.LoadDriver.Journal;

/// <summary><c>busruntime-loaddriver journal</c>: publish throughput of a sidecar with its PostgreSQL journal on against one with it off.</summary>
public static class JournalBenchmarkCommand
{
    public static Command Create()
    {
        var messages = new Option<int>("--messages") { Description = "Measured publishes per sidecar and round.", DefaultValueFactory = _ => 20_000 }.Bounded(1, 1_000_000);
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent callers, each awaiting its publish before the next.", DefaultValueFactory = _ => 32 }.Bounded(1, 1024);
        var payloadBytes = new Option<int>("--payload-bytes") { Description = "Bytes of data in every event.", DefaultValueFactory = _ => 1024 }.Bounded(1, 4 * 1024 * 1024);
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured publishes per sidecar before the first round.", DefaultValueFactory = _ => 20_000 }.Bounded(0, 1_000_000);
        var rounds = new Option<int>("--rounds") { Description = "Rounds; each runs both sidecars, the order alternating.", DefaultValueFactory = _ => 4 }.Bounded(1, 10);
        var rabbitMq = new Option<string>("--rabbitmq") { Description = "The RabbitMQ broker both sidecars use.", DefaultValueFactory = _ => "amqp://guest:guest@127.0.0.1:5672/" };
        var postgres = new Option<string>("--postgres") { Description = "The PostgreSQL server of both sidecars (a schema of their own is created and dropped).", DefaultValueFactory = _ => StateBenchmarkCommand.DefaultPostgres };
        var sidecarPath = new Option<string?>("--sidecar-path") { Description = "busruntime.dll to start as the sidecars. Default: the Release build of src/BusRuntime.Sidecar in this repository." };
        var figures = FigureFile.CreateOption();

        var command = new Command(
            "journal",
            "Measures PublishEvent through two sidecars on the same RabbitMQ and PostgreSQL, one journaling every message " +
            "to PostgreSQL and one with BusRuntime:Journal:Enabled=false, and prints the throughput ratio on/off and how " +
            "many of the published events the journal stored.")
        {
            messages, concurrency, payloadBytes, warmup, rounds, rabbitMq, postgres, sidecarPath, figures,
        };
        command.SetAction(LoadDriverAction.Guarded(async (result, error, cancellationToken) =>
        {
            var settings = new JournalBenchmarkSettings(
                result.GetValue(messages),
                result.GetValue(concurrency),
                result.GetValue(payloadBytes),
                result.GetValue(warmup),
                result.GetValue(rounds),
                result.GetValue(rabbitMq)!,
                result.GetValue(postgres)!,
                result.GetValue(sidecarPath) ?? SidecarLocator.DefaultPath(),
                result.GetValue(figures));
            await new JournalBenchmarkRunner(settings, error).RunAsync(result.InvocationConfiguration.Output, cancellationToken);
        }));
        return command;
    }
}
