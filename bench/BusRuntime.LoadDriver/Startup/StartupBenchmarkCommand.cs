using System.CommandLine;
using BusRuntime.LoadDriver.Reporting;
using BusRuntime.LoadDriver.Sidecar;

namespace BusRuntime.LoadDriver.Startup;

/// <summary><c>busruntime-loaddriver startup</c>: start the sidecar several times; how long until readiness is UP, and its idle RSS.</summary>
public static class StartupBenchmarkCommand
{
    public static Command Create()
    {
        var starts = new Option<int>("--starts") { Description = "Starts, one after the other; each is stopped before the next.", DefaultValueFactory = _ => 5 }.Bounded(1, 50);
        var rabbitMq = new Option<string>("--rabbitmq") { Description = "The RabbitMQ broker on this machine the sidecar connects to.", DefaultValueFactory = _ => "amqp://guest:guest@127.0.0.1:5672/" };
        var sidecarPath = new Option<string?>("--sidecar-path") { Description = "busruntime.dll to start. Default: the Release build of src/BusRuntime.Sidecar in this repository." };
        var floorPath = new Option<string?>("--floor-path") { Description = "busruntime-stackfloor.dll to start alternately with the sidecar. Default: the Release build of bench/BusRuntime.StackFloor in this repository." };
        var figures = FigureFile.CreateOption();

        var command = new Command(
            "startup",
            "Starts the sidecar (on RabbitMQ, as the publish benchmark does) several times and prints the time from starting the " +
            "process to the first 200 from /actuator/health/readiness (minimum and median) and its RSS 2 s after that; the same for " +
            "the stack floor (ASP.NET Core, gRPC and MassTransit on RabbitMQ with nothing of BusRuntime), started alternately.")
        {
            starts, rabbitMq, sidecarPath, floorPath, figures,
        };
        command.SetAction(LoadDriverAction.Guarded(async (result, error, cancellationToken) =>
        {
            var uri = result.GetValue(rabbitMq)!;
            LoadDriverCommand.LocalBroker(uri);
            var runner = new StartupBenchmarkRunner(
                result.GetValue(sidecarPath) ?? SidecarLocator.DefaultPath(), SidecarLocator.FloorPath(result.GetValue(floorPath)), uri, error);
            var report = await runner.RunAsync(result.GetValue(starts), cancellationToken);
            await report.WriteAsync(result.InvocationConfiguration.Output);
            await FigureFile.AppendAsync(
                result.GetValue(figures),
                ("startup.ready_min_ms", report.Sidecar.ReadyMs.Min()),
                ("startup.ready_median_ms", StartupReport.Median(report.Sidecar.ReadyMs)),
                ("startup.cpu_median_ms", StartupReport.Median(report.Sidecar.CpuToReadyMs)),
                ("startup.rss_idle_median_mib", StartupReport.Median(report.Sidecar.RssIdleMebibytes)),
                ("floor.ready_median_ms", StartupReport.Median(report.Floor.ReadyMs)),
                ("floor.cpu_median_ms", StartupReport.Median(report.Floor.CpuToReadyMs)),
                ("floor.rss_idle_median_mib", StartupReport.Median(report.Floor.RssIdleMebibytes)));
        }));
        return command;
    }
}
