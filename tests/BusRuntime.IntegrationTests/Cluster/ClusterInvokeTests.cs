using System.Collections.Concurrent;
using System.Diagnostics;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.IntegrationTests.Cluster;

/// <summary>
/// Service invocation under load on the 3-node cluster while the node holding the caller's and the target's
/// connections, and the target's invoke queue, is killed: callers see UNAVAILABLE or DEADLINE_EXCEEDED during the
/// failover, never a hang, then success again while the node is still down.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterInvokeTests(ClusterFixture cluster, ITestOutputHelper output)
{
    private const int Callers = 4;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task InvokeService_NodeWithTheConnectionsAndTheInvokeQueueKilled_FailsClearlyDuringTheFailoverThenSucceeds()
    {
        var targetId = RabbitMqFixture.Unique("billing");
        var callerId = RabbitMqFixture.Unique("shop");
        await using var app = await InvokeApp.StartAsync();
        await using var target = await TestSidecar.StartAsync(targetId, ClusterFixture.Settings([1, 2, 3]), app.Port);
        await using var caller = await TestSidecar.StartAsync(callerId, ClusterFixture.Settings([1, 2, 3]));
        await target.WaitUntilServingInvocationsAsync();
        await caller.WaitUntilReadyAsync();
        Assert.Equal("quorum", (await cluster.QueueAsync(global::BusRuntime.Contracts.InvokeNames.Queue(targetId), 2)).Type);
        Assert.Equal(1, await cluster.NodeOfConnectionAsync(targetId, 2));
        Assert.Equal(1, await cluster.NodeOfConnectionAsync(callerId, 2));

        var calls = new ConcurrentQueue<(TimeSpan Started, TimeSpan Ended, StatusCode Status)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, Callers).Select(_ => Task.Run(() => CallUntilStoppedAsync(caller, targetId, clock, calls, stop.Token))).ToArray();
        TimeSpan killed;
        try
        {
            await Poll.UntilAsync(() => calls.Count(call => call.Status == StatusCode.OK) >= 50, TimeSpan.FromSeconds(20), () => $"{calls.Count} calls before the kill");
            await cluster.KillNodeAsync(1);
            killed = clock.Elapsed;
            output.WriteLine($"{killed.TotalSeconds:0.00}s: node 1 killed after {calls.Count} calls");
            await Poll.UntilAsync(
                () => calls.Count(call => call.Status == StatusCode.OK && call.Started > killed) >= 50,
                TimeSpan.FromSeconds(40),
                () => $"{calls.Count(call => call.Started > killed)} calls after the kill: {Describe(calls)}");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(callers);
            await cluster.StartNodeAsync(1);
        }

        var resumed = calls.Where(call => call.Status == StatusCode.OK && call.Started > killed).Min(call => call.Ended) - killed;
        output.WriteLine($"{Describe(calls)}; calls succeed again {resumed.TotalSeconds:0.00}s after the kill");
        Assert.All(calls, call => Assert.Contains(call.Status, new[] { StatusCode.OK, StatusCode.Unavailable, StatusCode.DeadlineExceeded }));
        Assert.All(calls, call => Assert.True(call.Ended - call.Started < Deadline + TimeSpan.FromSeconds(1), $"a call took {(call.Ended - call.Started).TotalSeconds:0.00}s"));
    }

    private static string Describe(IEnumerable<(TimeSpan Started, TimeSpan Ended, StatusCode Status)> calls) =>
        string.Join(", ", calls.GroupBy(call => call.Status).Select(group => $"{group.Key}: {group.Count()}"));

    private static async Task CallUntilStoppedAsync(
        TestSidecar caller,
        string targetId,
        Stopwatch clock,
        ConcurrentQueue<(TimeSpan Started, TimeSpan Ended, StatusCode Status)> calls,
        CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var started = clock.Elapsed;
            try
            {
                await caller.Runtime.InvokeServiceAsync(
                    new InvokeServiceRequest { AppId = targetId, Method = "echo", Data = ByteString.CopyFromUtf8("x"), ContentType = "text/plain" },
                    deadline: DateTime.UtcNow + Deadline,
                    cancellationToken: CancellationToken.None);
                calls.Enqueue((started, clock.Elapsed, StatusCode.OK));
            }
            catch (RpcException exception)
            {
                calls.Enqueue((started, clock.Elapsed, exception.StatusCode));
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }
}
