using System.CommandLine;
using BusRuntime.LoadDriver.Sidecar;
using BusRuntime.LoadDriver.State;

namespace BusRuntime.LoadDriver.AppConfiguration;

/// <summary><c>busruntime-loaddriver config</c>: how long a configuration change takes from one sidecar to another's subscriber.</summary>
public static class ConfigurationBenchmarkCommand
{
    public static Command Create()
    {
        var changes = new Option<int>("--changes") { Description = "Measured changes, saved one at a time.", DefaultValueFactory = _ => 1_000 }.Bounded(1, 100_000);
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured changes before them.", DefaultValueFactory = _ => 200 }.Bounded(0, 100_000);
        var keys = new Option<int>("--keys") { Description = "Keys the changes cycle through.", DefaultValueFactory = _ => 10 }.Bounded(1, 10_000);
        var rabbitMq = new Option<string>("--rabbitmq") { Description = "The RabbitMQ broker both sidecars use.", DefaultValueFactory = _ => "amqp://guest:guest@127.0.0.1:5672/" };
        var postgres = new Option<string>("--postgres") { Description = "The PostgreSQL server of configstore (a schema of its own is created and dropped).", DefaultValueFactory = _ => StateBenchmarkCommand.DefaultPostgres };
        var sidecarPath = new Option<string?>("--sidecar-path") { Description = "busruntime.dll to start as the sidecars. Default: the Release build of src/BusRuntime.Sidecar in this repository." };

        var command = new Command(
            "config",
            "Measures configuration change propagation: SaveConfiguration on one sidecar until the change arrives on a SubscribeConfiguration " +
            "stream of another, both on RabbitMQ with configstore on PostgreSQL, and prints p50, p90 and p99.")
        {
            changes, warmup, keys, rabbitMq, postgres, sidecarPath,
        };
        command.SetAction(LoadDriverAction.Guarded(async (result, error, cancellationToken) =>
        {
            var settings = new ConfigurationBenchmarkSettings(
                result.GetValue(changes),
                result.GetValue(warmup),
                result.GetValue(keys),
                result.GetValue(rabbitMq)!,
                result.GetValue(postgres)!,
                result.GetValue(sidecarPath) ?? SidecarLocator.DefaultPath(),
                TimeSpan.FromSeconds(30),
                TimeSpan.FromSeconds(30));
            var measured = await new ConfigurationBenchmarkRunner(settings, error).RunAsync(cancellationToken);
            await ConfigurationReport.WriteAsync(settings, measured, result.InvocationConfiguration.Output);
        }));
        return command;
    }
}
