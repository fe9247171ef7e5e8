using System.CommandLine;
using System.Net;
using BusRuntime.LoadDriver.Invoke;
using BusRuntime.LoadDriver.AppConfiguration;
using BusRuntime.LoadDriver.Journal;
using BusRuntime.LoadDriver.Reporting;
using BusRuntime.LoadDriver.Sidecar;
using BusRuntime.LoadDriver.Startup;
using BusRuntime.LoadDriver.State;
using BusRuntime.LoadDriver.Summary;
using BusRuntime.LoadDriver.Workflow;
using BusRuntime.Transport.RabbitMq;

namespace BusRuntime.LoadDriver;

/// <summary>The command line of the load driver: every knob of a run, with the documented defaults.</summary>
public static class LoadDriverCommand
{
    public static RootCommand Create()
    {
        var messages = new Option<int>("--messages") { Description = "Measured publishes per mode and round.", DefaultValueFactory = _ => 20_000 }.Bounded(1, 1_000_000);
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent callers, each awaiting its publish before the next.", DefaultValueFactory = _ => 32 }.Bounded(1, 1024);
        var payloadBytes = new Option<int>("--payload-bytes") { Description = "Bytes of data in every event.", DefaultValueFactory = _ => 1024 }.Bounded(1, 4 * 1024 * 1024);
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured publishes per mode before the first round; enough for the JIT to finish optimizing both paths.", DefaultValueFactory = _ => 20_000 }.Bounded(0, 1_000_000);
        var rounds = new Option<int>("--rounds") { Description = "Rounds; each runs both modes, the order alternating (a b, b a, ...) so drift hits both alike.", DefaultValueFactory = _ => 4 }.Bounded(1, 10);
        var rabbitMq = new Option<string>("--rabbitmq") { Description = "The RabbitMQ broker on this machine, amqp://user:password@host:port/vhost.", DefaultValueFactory = _ => "amqp://guest:guest@127.0.0.1:5672/" };
        var sidecarPath = new Option<string?>("--sidecar-path") { Description = "busruntime.dll to start as the sidecar. Default: the Release build of src/BusRuntime.Sidecar in this repository." };
        var startupTimeout = new Option<int>("--startup-timeout") { Description = "Seconds the sidecar has to report readiness UP.", DefaultValueFactory = _ => 30 }.Bounded(1, 600);
        var phaseTimeout = new Option<int>("--phase-timeout") { Description = "Seconds one mode of one round (or its warm-up) may take before the run fails.", DefaultValueFactory = _ => 120 }.Bounded(1, 3600);
        var json = new Option<bool>("--json") { Description = "Print the results as JSON on standard output instead of a table." };
        var figures = FigureFile.CreateOption();

        var command = new RootCommand(
            "Measures publish throughput and latency of (a) raw MassTransit publishing from this process and (b) the " +
            "BusRuntime sidecar's gRPC PublishEvent, on the same RabbitMQ, and prints the ratio b/a. The sidecar runs " +
            "as a child process; its start-to-ready time and its idle and peak RSS are reported too.")
        {
            messages, concurrency, payloadBytes, warmup, rounds, rabbitMq, sidecarPath, startupTimeout, phaseTimeout, json, figures,
            StateBenchmarkCommand.Create(),
            InvokeBenchmarkCommand.Create(),
            ConfigurationBenchmarkCommand.Create(),
            JournalBenchmarkCommand.Create(),
            WorkflowBenchmarkCommand.Create(),
            StartupBenchmarkCommand.Create(),
            SummaryCommand.Create(),
        };
        command.SetAction(LoadDriverAction.Guarded(async (result, error, cancellationToken) =>
        {
            var uri = result.GetValue(rabbitMq)!;
            var settings = new LoadDriverSettings(
                result.GetValue(messages),
                result.GetValue(concurrency),
                result.GetValue(payloadBytes),
                result.GetValue(warmup),
                result.GetValue(rounds),
                uri,
                LocalBroker(uri),
                result.GetValue(sidecarPath) ?? SidecarLocator.DefaultPath(),
                TimeSpan.FromSeconds(result.GetValue(startupTimeout)),
                TimeSpan.FromSeconds(result.GetValue(phaseTimeout)),
                result.GetValue(json),
                result.GetValue(figures));
            await new BenchmarkRunner(settings, error).RunAsync(result.InvocationConfiguration.Output, cancellationToken);
        }));
        return command;
    }

    // The benchmarks compare two ways of reaching one broker (or one cluster's nodes) from one machine; a remote
    // broker would measure the network instead.
    internal static RabbitMqNodes LocalBroker(string uri)
    {
        RabbitMqNodes nodes;
        try
        {
            nodes = RabbitMqNodes.Parse(uri, null);
        }
        catch (InvalidOperationException invalid)
        {
            throw new LoadDriverException($"--rabbitmq: {invalid.Message}", invalid);
        }

        foreach (var address in nodes.Addresses)
        {
            if (address.Tls)
            {
                throw new LoadDriverException("--rabbitmq: the benchmarks connect to the broker on this machine over plain amqp://, not amqps://.");
            }

            var host = address.Host;
            var loopback = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
            if (!loopback)
            {
                throw new LoadDriverException($"--rabbitmq: the broker must run on this machine (127.0.0.1, ::1 or localhost), not '{address.Host}'.");
            }
        }

        return nodes;
    }
}
