using BusRuntime.Testing;

namespace BusRuntime.IntegrationTests.Cluster;

/// <summary>
/// Delivery to a subscriber across two successive losses of the node its sidecar is connected to: each costs
/// seconds, the second as the first, and nothing accepted is lost.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterDeliveryTests(ClusterFixture cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan GapLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Observed = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Delivery_SubscribersNodeKilledTwiceInARow_ResumesWithinSecondsEachTimeAndLosesNothing()
    {
        // The subscriber tries node 1 first, then 2; the publisher stays on node 3, which is never killed.
        await using var pubSub = await PubSubOnCluster.StartAsync([1, 2, 3], [3, 1, 2]);
        var (app, subscriberId, publisherId) = (pubSub.App, pubSub.SubscriberId, pubSub.PublisherId);
        Assert.Equal(1, await cluster.NodeOfConnectionAsync(subscriberId, 3));
        Assert.Equal(3, await cluster.NodeOfConnectionAsync(publisherId, 3));

        var load = PublishLoad.Start(pubSub.Publisher, pubSub.Topic, workers: 2);
        await using var gaps = DeliveryGaps.Start(() => app.Received.Count, load.Clock);
        var losses = new List<(int Node, TimeSpan Killed)>();
        try
        {
            await Poll.UntilAsync(() => app.Received.Count >= 50, TimeSpan.FromSeconds(20), () => $"{app.Received.Count} events arrived before the first kill");
            foreach (var node in new[] { 1, 2 })
            {
                Assert.Equal(node, await cluster.NodeOfConnectionAsync(subscriberId, 3));
                await cluster.KillNodeAsync(node);
                var killed = load.Clock.Elapsed;
                losses.Add((node, killed));
                await Task.Delay(Observed);
                output.WriteLine($"{killed.TotalSeconds:0.0}s: node {node} killed; longest gap in deliveries since: {gaps.LongestBetween(killed, killed + Observed).TotalSeconds:0.0}s; {load.Describe()}");
                await cluster.StartNodeAsync(node);
                await Poll.UntilAsync(async () => await cluster.RunningMembersAsync(3) == ClusterFixture.Nodes, TimeSpan.FromSeconds(60), () => $"node {node} did not rejoin");
            }
        }
        finally
        {
            await load.StopAsync();
        }

        var accepted = load.Accepted;
        await pubSub.WaitForAllAsync(accepted);
        output.WriteLine($"{load.Describe()}; subscriber: {pubSub.Delivered}");

        Assert.All(losses, loss => Assert.True(
            gaps.LongestBetween(loss.Killed, loss.Killed + Observed) < GapLimit,
            $"after node {loss.Node}'s loss no event arrived for {gaps.LongestBetween(loss.Killed, loss.Killed + Observed).TotalSeconds:0.0}s"));
    }

    [Fact]
    public async Task Delivery_NodeLostAfterAnOutageOfFailedReconnects_ResumesWithinSeconds()
    {
        await using var pubSub = await PubSubOnCluster.StartAsync([1, 2, 3], [3, 1, 2]);
        var (app, subscriberId) = (pubSub.App, pubSub.SubscriberId);

        var load = PublishLoad.Start(pubSub.Publisher, pubSub.Topic, workers: 2);
        await using var gaps = DeliveryGaps.Start(() => app.Received.Count, load.Clock);
        TimeSpan killed;
        int node;
        try
        {
            // Two of three down: no node serves, and every reconnect of the subscriber's consumers fails meanwhile,
            // which is what grows MassTransit's receive back-off.
            await cluster.KillNodeAsync(1);
            await cluster.KillNodeAsync(2);
            await Task.Delay(Outage);
            await cluster.StartNodeAsync(1);
            await cluster.StartNodeAsync(2);
            await Poll.UntilAsync(async () => await cluster.RunningMembersAsync(3) == ClusterFixture.Nodes, TimeSpan.FromSeconds(60), () => "the nodes did not rejoin");
            var restored = app.Received.Count;
            await Poll.UntilAsync(() => app.Received.Count >= restored + 50, TimeSpan.FromSeconds(60), () => "deliveries did not resume after the outage");
            output.WriteLine($"{load.Clock.Elapsed.TotalSeconds:0.0}s: delivering again after the outage; {load.Describe()}");

            node = await cluster.NodeOfConnectionAsync(subscriberId, 3);
            await cluster.KillNodeAsync(node);
            killed = load.Clock.Elapsed;
            await Task.Delay(Observed);
            output.WriteLine($"{killed.TotalSeconds:0.0}s: node {node} killed; longest gap in deliveries since: {gaps.LongestBetween(killed, killed + Observed).TotalSeconds:0.0}s; {load.Describe()}");
        }
        finally
        {
            await load.StopAsync();
            foreach (var down in new[] { 1, 2, 3 })
            {
                await cluster.StartNodeAsync(down);
            }
        }

        var accepted = load.Accepted;
        await pubSub.WaitForAllAsync(accepted);

        Assert.True(
            gaps.LongestBetween(killed, killed + Observed) < GapLimit,
            $"after node {node}'s loss no event arrived for {gaps.LongestBetween(killed, killed + Observed).TotalSeconds:0.0}s");
    }
}
