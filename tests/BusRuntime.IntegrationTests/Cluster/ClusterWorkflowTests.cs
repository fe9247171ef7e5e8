using BusRuntime.IntegrationTests.Workflows;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;

namespace BusRuntime.IntegrationTests.Cluster;

/// <summary>
/// A workflow running on the 3-node cluster, its saga on PostgreSQL (shared quorum queues), while the node holding
/// every sidecar's connection and the workflow queues' leaders is killed: it completes after the failover.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterWorkflowTests(ClusterFixture cluster, PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task StartWorkflow_NodeKilledWhileAStepRuns_CompletesAfterTheFailover()
    {
        var prefix = RabbitMqFixture.Unique("wf");
        var settings = postgres.Settings(postgres.Server.NewSchema(), more: ClusterFixture.Settings([1, 2, 3], new Dictionary<string, string?> { ["BusRuntime:WorkflowQueuePrefix"] = prefix }));
        await using var apps = await WorkflowApps.StartAsync(ClusterFixture.Settings([1, 2, 3]));
        await using var starter = await TestSidecar.StartAsync(RabbitMqFixture.Unique("starter"), settings);
        await starter.WaitUntilReadyAsync();
        var charging = new TaskCompletionSource();
        apps.Gates["charge"] = charging;

        var id = await Workflows.Workflows.StartAsync(starter, "x", apps.Step(0, "reserve"), apps.Step(1, "charge"), apps.Step(2, "ship"));
        try
        {
            await Poll.UntilAsync(() => apps.Calls.Any(call => call.StartsWith("b:charge", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), () => $"the charge step did not start: {string.Join(", ", apps.Calls)}");
            Assert.Equal("quorum", (await cluster.QueueAsync($"{prefix}-saga", 2)).Type);
            await cluster.KillNodeAsync(1);
            charging.SetResult();
            var workflow = await Workflows.Workflows.WaitForEndAsync(starter, id, TimeSpan.FromSeconds(90));
            output.WriteLine($"{workflow.Status} {workflow.Error}: calls {string.Join(", ", apps.Calls)}");

            Assert.Equal(WorkflowStatus.Completed, workflow.Status);
            Assert.Contains("c:ship:xab", apps.Calls);
        }
        finally
        {
            charging.TrySetResult();
            await cluster.StartNodeAsync(1);
        }
    }
}
