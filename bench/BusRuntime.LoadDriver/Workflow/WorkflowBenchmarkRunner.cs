using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using BusRuntime.LoadDriver.AppConfiguration;
using BusRuntime.LoadDriver.Invoke;
using BusRuntime.LoadDriver.Sidecar;
using BusRuntime.Protos.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;
using RabbitMQ.Client;

namespace BusRuntime.LoadDriver.Workflow;

/// <summary>
/// The workflow benchmark: an echo app behind its sidecar serves every step; a second sidecar starts the
/// workflows and runs the saga and the step activity. Both are child processes on RabbitMQ, with the saga
/// instances on PostgreSQL in a schema of the run's own (its queues have the run's own names too). Each
/// caller starts a workflow, polls GetWorkflow until it ended, and starts the next.
/// </summary>
public sealed class WorkflowBenchmarkRunner(WorkflowBenchmarkSettings settings, TextWriter progress)
{
    // Completion times come from the saga's own timestamps; the polling only frees the caller for its next workflow.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public async Task<WorkflowReport> RunAsync(CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid().ToString("N")[..8];
        try
        {
            return await RunAsync(runId, cancellationToken);
        }
        finally
        {
            await CleanUpAsync(runId);
        }
    }

    private async Task<WorkflowReport> RunAsync(string runId, CancellationToken cancellationToken)
    {
        var targetAppId = $"bench-wf-echo-{runId}";
        var environment = new Dictionary<string, string>
        {
            ["BusRuntime__WorkflowQueuePrefix"] = $"bench-wf-{runId}",
            ["BusRuntime__PostgresSchema"] = $"bench_wf_{runId}",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        string[] broker = ["--transport", "RabbitMq", "--rabbitmq", settings.RabbitMqUri];
        string[] store = settings.Postgres.Length > 0 ? ["--postgres", settings.Postgres] : [];
        await using var echo = await EchoApp.StartAsync(cancellationToken);
        await using var target = SidecarProcess.Start(settings.SidecarPath, targetAppId, [.. broker, "--app-port", echo.Port.ToString(CultureInfo.InvariantCulture)], environment);
        await using var starter = SidecarProcess.Start(settings.SidecarPath, $"bench-wf-starter-{runId}", [.. broker, .. store], environment);
        await target.WaitUntilReadyAsync(settings.StartupTimeout, cancellationToken);
        await starter.WaitUntilReadyAsync(settings.StartupTimeout, cancellationToken);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{starter.GrpcPort}");
        var client = new Runtime.RuntimeClient(channel);
        var input = new byte[settings.PayloadBytes];
        new Random(input.Length).NextBytes(input);
        var request = new StartWorkflowRequest
        {
            WorkflowName = "bench",
            Input = ByteString.CopyFrom(input),
            Steps =
            {
                new WorkflowStep { AppId = targetAppId, Method = "reserve", CompensationMethod = "release" },
                new WorkflowStep { AppId = targetAppId, Method = "charge", CompensationMethod = "refund" },
                new WorkflowStep { AppId = targetAppId, Method = "ship" },
            },
        };
        await Progress($"sidecars ready: starter pid {starter.ProcessId}, echo app {targetAppId} pid {target.ProcessId}; saga repository {(store.Length > 0 ? "PostgreSQL" : "in memory")}");

        await WaitUntilStepsServedAsync(client, request, cancellationToken);
        if (settings.Warmup > 0)
        {
            await Progress($"warm-up: {settings.Warmup} workflows, {settings.Concurrency} in flight");
            await RunPhaseAsync(client, request, settings.Warmup, cancellationToken);
        }

        await Progress($"measuring: {settings.Workflows} workflows, {settings.Concurrency} in flight");
        var (elapsed, results) = await RunPhaseAsync(client, request, settings.Workflows, cancellationToken);
        var completed = results.Where(result => result.Workflow.Status == WorkflowStatus.Completed).ToList();
        if (completed.Count == 0)
        {
            var first = results.FirstOrDefault().Workflow;
            throw new LoadDriverException($"no workflow completed; the first ended {first?.Status} ({first?.Error?.Message}).");
        }

        return new WorkflowReport(
            settings,
            completed.Count,
            results.Count - completed.Count,
            elapsed,
            Percentiles.Of([.. completed.Select(result => Ticks(result.Workflow.EndedAt.ToDateTimeOffset() - result.Workflow.StartedAt.ToDateTimeOffset()))]),
            Percentiles.Of([.. completed.Select(result => result.ClientTicks)]),
            Percentiles.Of([.. results.Select(result => result.StartTicks)]));
    }

    private async Task<(TimeSpan Elapsed, List<(WorkflowInstance Workflow, long StartTicks, long ClientTicks)> Results)> RunPhaseAsync(
        Runtime.RuntimeClient client, StartWorkflowRequest request, int count, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.PhaseTimeout);
        var results = new ConcurrentBag<(WorkflowInstance, long, long)>();
        var remaining = count;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Math.Min(settings.Concurrency, count)).Select(async _ =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                var started = Stopwatch.GetTimestamp();
                var id = (await client.StartWorkflowAsync(request, cancellationToken: timeout.Token)).InstanceId;
                var accepted = Stopwatch.GetTimestamp() - started;
                while (true)
                {
                    var workflow = (await client.GetWorkflowAsync(new GetWorkflowRequest { InstanceId = id }, cancellationToken: timeout.Token)).Workflow;
                    if (workflow.Status is not (WorkflowStatus.Running or WorkflowStatus.Compensating))
                    {
                        results.Add((workflow, accepted, Stopwatch.GetTimestamp() - started));
                        break;
                    }

                    await Task.Delay(PollInterval, timeout.Token);
                }
            }
        }));
        return (clock.Elapsed, [.. results]);
    }

    /// <summary>Runs one workflow until its steps get answers (UNAVAILABLE until the echo app's sidecar consumes its queue).</summary>
    private async Task WaitUntilStepsServedAsync(Runtime.RuntimeClient client, StartWorkflowRequest request, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + settings.StartupTimeout;
        while (true)
        {
            WorkflowInstance workflow;
            try
            {
                var id = (await client.StartWorkflowAsync(request, cancellationToken: cancellationToken)).InstanceId;
                do
                {
                    await Task.Delay(PollInterval, cancellationToken);
                    workflow = (await client.GetWorkflowAsync(new GetWorkflowRequest { InstanceId = id }, cancellationToken: cancellationToken)).Workflow;
                }
                while (workflow.Status is WorkflowStatus.Running or WorkflowStatus.Compensating);
            }
            catch (RpcException notYet) when (notYet.StatusCode == StatusCode.Unavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken);
                continue;
            }

            if (workflow.Status == WorkflowStatus.Completed)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new LoadDriverException($"no workflow completed within {settings.StartupTimeout.TotalSeconds:0}s; the last ended {workflow.Status}: {workflow.Error?.Message}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>Drops the run's schema and deletes its shared queues (and the exchanges MassTransit gave them).</summary>
    private async Task CleanUpAsync(string runId)
    {
        if (settings.Postgres.Length > 0)
        {
            await using var dataSource = NpgsqlDataSource.Create(settings.Postgres);
            await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"bench_wf_{runId}\" CASCADE");
            await command.ExecuteNonQueryAsync();
        }

        var address = LoadDriverCommand.LocalBroker(settings.RabbitMqUri).First;
        var factory = new ConnectionFactory
        {
            HostName = address.Host,
            Port = address.Port,
            VirtualHost = address.VirtualHost,
            UserName = address.Username,
            Password = address.Password,
            ClientProvidedName = "busruntime-loaddriver",
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var suffix in new[] { "saga", "step_execute", "step_compensate" })
        {
            var queue = $"bench-wf-{runId}-{suffix}";
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
            await channel.ExchangeDeleteAsync(queue, ifUnused: false);
        }
    }

    private static long Ticks(TimeSpan duration) => (long)(duration.TotalSeconds * Stopwatch.Frequency);

    private async Task Progress(string message) => await progress.WriteLineAsync(message);
}
