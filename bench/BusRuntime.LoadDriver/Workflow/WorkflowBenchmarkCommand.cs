using System.CommandLine;
using BusRuntime.LoadDriver.Sidecar;
using BusRuntime.LoadDriver.State;

namespace BusRuntime.LoadDriver.Workflow;

/// <summary><c>busruntime-loaddriver workflow</c>: workflows per second and completion time of a 3-step workflow.</summary>
public static class WorkflowBenchmarkCommand
{
    public static Command Create()
    {
        var workflows = new Option<int>("--workflows") { Description = "Measured workflows.", DefaultValueFactory = _ => 2_000 }.Bounded(1, 1_000_000);
        var concurrency = new Option<int>("--concurrency") { Description = "Workflows in flight: each caller starts one, waits until it ended, then starts the next.", DefaultValueFactory = _ => 64 }.Bounded(1, 1024);
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured workflows before the measured ones.", DefaultValueFactory = _ => 300 }.Bounded(0, 100_000);
        var payloadBytes = new Option<int>("--payload-bytes") { Description = "Bytes of the workflow's input (each step echoes what it gets).", DefaultValueFactory = _ => 256 }.Bounded(1, 1024 * 1024);
        var rabbitMq = new Option<string>("--rabbitmq") { Description = "The RabbitMQ broker on this machine.", DefaultValueFactory = _ => "amqp://guest:guest@127.0.0.1:5672/" };
        var postgres = new Option<string>("--postgres")
        {
            Description = "The PostgreSQL server the saga instances are kept in (a schema of the run's own); \"\" keeps them in memory.",
            DefaultValueFactory = _ => StateBenchmarkCommand.DefaultPostgres,
        };
        var sidecarPath = new Option<string?>("--sidecar-path") { Description = "busruntime.dll to start as the sidecars. Default: the Release build of src/BusRuntime.Sidecar in this repository." };

        var command = new Command(
            "workflow",
            "Measures 3-step workflows (StartWorkflow on one sidecar, each step an invoke of an echo app behind a second sidecar, on RabbitMQ, " +
            "saga instances in PostgreSQL): workflows completed per second and the completion time (start accepted to last step's result saved) at p50/p90/p99.")
        {
            workflows, concurrency, warmup, payloadBytes, rabbitMq, postgres, sidecarPath,
        };
        command.SetAction(LoadDriverAction.Guarded(async (result, error, cancellationToken) =>
        {
            var uri = result.GetValue(rabbitMq)!;
            LoadDriverCommand.LocalBroker(uri);
            var settings = new WorkflowBenchmarkSettings(
                result.GetValue(workflows),
                result.GetValue(concurrency),
                result.GetValue(warmup),
                result.GetValue(payloadBytes),
                uri,
                result.GetValue(postgres) ?? "",
                result.GetValue(sidecarPath) ?? SidecarLocator.DefaultPath(),
                TimeSpan.FromSeconds(60),
                TimeSpan.FromMinutes(30));
            var report = await new WorkflowBenchmarkRunner(settings, error).RunAsync(cancellationToken);
            await report.WriteAsync(result.InvocationConfiguration.Output);
        }));
        return command;
    }
}
