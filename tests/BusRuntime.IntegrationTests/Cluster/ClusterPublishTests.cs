using BusRuntime.Testing;
using Grpc.Core;

namespace BusRuntime.IntegrationTests.Cluster;

/// <summary>
/// Publishing on the 3-node cluster (quorum queues) while nodes die: every publish that returned a message id
/// arrives; publishing resumes within seconds; nothing hangs; a cluster without a majority refuses publishes.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterPublishTests(ClusterFixture cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long readiness may be other than UP after a node's loss: the time to connect to another node.</summary>
    private static readonly TimeSpan ReconnectAllowance = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task PublishEvent_NodeWithThePublishersConnectionAndTheQueueLeaderKilled_EveryAcceptedEventArrivesAndPublishingResumesWithin10s()
    {
        // Both sidecars try node 1 first: the subscriber declares the queue there (its leader), the publisher connects there.
        await using var pubSub = await PubSubOnCluster.StartAsync([1, 2, 3], [1, 2, 3], Timeout());
        var (topic, publisherId, subscriber, publisher) = (pubSub.Topic, pubSub.PublisherId, pubSub.Subscriber, pubSub.Publisher);
        var queue = RabbitMqFixture.Queue(pubSub.SubscriberId, topic);
        Assert.Equal(("quorum", 1), await cluster.QueueAsync(queue, 2));
        Assert.Equal(1, await cluster.NodeOfConnectionAsync(publisherId, 2));

        var load = PublishLoad.Start(publisher, topic);
        await using var publisherReadiness = ReadinessSamples.Start(publisher, load.Clock);
        await using var subscriberReadiness = ReadinessSamples.Start(subscriber, load.Clock);
        TimeSpan killed;
        try
        {
            await Poll.UntilAsync(() => load.Accepted.Count >= 100, TimeSpan.FromSeconds(20), () => $"{load.Accepted.Count} publishes accepted before the kill");
            await cluster.KillNodeAsync(1);
            killed = load.Clock.Elapsed;
            output.WriteLine($"{killed.TotalSeconds:0.00}s: node 1 killed after {load.Accepted.Count} accepted publishes");

            await Poll.UntilAsync(() => load.AcceptedAfter(killed) >= 100, TimeSpan.FromSeconds(30), () => $"{load.AcceptedAfter(killed)} publishes accepted after the kill; {load.Describe()}");
            await Readiness.WaitForAsync(publisher, "bus", "UP", TimeSpan.FromSeconds(20));
            await Readiness.WaitForAsync(subscriber, "bus", "UP", TimeSpan.FromSeconds(20));
            output.WriteLine($"{load.Clock.Elapsed.TotalSeconds:0.00}s: both sidecars ready again, node 1 still down");
            Assert.NotEqual(1, await cluster.NodeOfConnectionAsync(publisherId, 2));
        }
        finally
        {
            await load.StopAsync();
            await cluster.StartNodeAsync(1);
        }

        var resumed = load.FirstAcceptedStartedAfter(killed)!;
        var accepted = load.Accepted;
        await pubSub.WaitForAllAsync(accepted);
        var delivered = pubSub.Delivered;
        output.WriteLine($"{load.Describe()}; first publish accepted after the kill ended {(resumed.Ended - killed).TotalSeconds:0.00}s after it; subscriber: {delivered}");
        foreach (var failed in load.Calls.Where(call => call.Status is not null).Take(5))
        {
            output.WriteLine($"  {failed.Started.TotalSeconds:0.00}s +{(failed.Ended - failed.Started).TotalSeconds:0.00}s {failed.Status}: {failed.Detail}");
        }

        output.WriteLine($"bus readiness not UP after the kill: publisher {publisherReadiness.LongestNotUpAfter(killed).TotalSeconds:0.0}s at most ({publisherReadiness.Describe(killed)}), subscriber {subscriberReadiness.LongestNotUpAfter(killed).TotalSeconds:0.0}s at most ({subscriberReadiness.Describe(killed)})");

        Assert.Empty(delivered.Missing(accepted));
        Assert.True(resumed.Ended - killed < TimeSpan.FromSeconds(10), $"publishing resumed {(resumed.Ended - killed).TotalSeconds:0.00}s after the kill");
        Assert.All(load.Calls.Where(call => call.Status is not null), call => Assert.Equal(StatusCode.Unavailable, call.Status));
        // In flight when the connection died: refused at once, not after the publish timeout (MassTransit would send
        // them again only after its reconnect back-off).
        Assert.All(load.Calls, call => Assert.True(call.Ended - call.Started < PublishTimeout / 2, $"a publish took {(call.Ended - call.Started).TotalSeconds:0.00}s"));
        // UP again once connected to a live node, although consumers wait out MassTransit's back-off (seconds).
        Assert.True(publisherReadiness.LongestNotUpAfter(killed) <= ReconnectAllowance, $"publisher not UP: {publisherReadiness.Describe(killed)}");
        Assert.True(subscriberReadiness.LongestNotUpAfter(killed) <= ReconnectAllowance, $"subscriber not UP: {subscriberReadiness.Describe(killed)}");
    }

    [Fact]
    public async Task PublishEvent_NodeRestartedThenTwoOfThreeDown_RejoinsThenPublishesAreRefusedAndNoAcceptedEventIsLost()
    {
        await using var pubSub = await PubSubOnCluster.StartAsync([1, 2, 3], [1, 2, 3], Timeout());
        var (topic, publisher) = (pubSub.Topic, pubSub.Publisher);

        var load = PublishLoad.Start(publisher, topic);
        TimeSpan lostMajority;
        TimeSpan restarting;
        string reason;
        try
        {
            await cluster.KillNodeAsync(2);
            await cluster.StartNodeAsync(2);
            await Poll.UntilAsync(async () => await cluster.RunningMembersAsync(1) == ClusterFixture.Nodes, TimeSpan.FromSeconds(30), () => "node 2 did not rejoin");
            output.WriteLine($"{load.Clock.Elapsed.TotalSeconds:0.00}s: node 2 killed, restarted and rejoined; {load.Describe()}");

            await cluster.KillNodeAsync(2);
            await cluster.KillNodeAsync(3);
            lostMajority = load.Clock.Elapsed;
            await Poll.UntilAsync(
                () => load.Calls.Count(call => call.Status is not null && call.Started > lostMajority) >= 10,
                TimeSpan.FromSeconds(30),
                () => $"publishes were not refused with two of three nodes down: {load.Describe()}");
            await Readiness.WaitForAsync(publisher, "bus", "DOWN", TimeSpan.FromSeconds(30));
            using var readiness = await publisher.Http.GetAsync(new Uri("/actuator/health/readiness", UriKind.Relative));
            reason = await readiness.Content.ReadAsStringAsync();
            output.WriteLine($"{load.Clock.Elapsed.TotalSeconds:0.00}s: two of three nodes down: {load.Describe()}; readiness ...{reason[^300..]}");
        }
        finally
        {
            restarting = load.Clock.Elapsed;
            await cluster.StartNodeAsync(2);
            await cluster.StartNodeAsync(3);
        }

        TimeSpan restored = load.Clock.Elapsed;
        try
        {
            await Poll.UntilAsync(() => load.AcceptedAfter(restored) >= 50, TimeSpan.FromSeconds(60), () => $"publishing did not resume after the nodes came back: {load.Describe()}");
        }
        finally
        {
            await load.StopAsync();
        }

        var accepted = load.Accepted;
        await pubSub.WaitForAllAsync(accepted);
        output.WriteLine($"{load.Describe()}; subscriber: {pubSub.Delivered}");

        // Without a majority nothing is confirmed: no publish that began after the second node died returned an id.
        Assert.DoesNotContain(load.Calls, call => call.MessageId is not null && call.Started > lostMajority && call.Ended < restarting);
        Assert.Contains("cannot connect to any node of RabbitMQ at amqp://guest@127.0.0.1:5681/, amqp://guest@127.0.0.1:5682/, amqp://guest@127.0.0.1:5683/", reason, StringComparison.Ordinal);
        Assert.All(load.Calls.Where(call => call.Status is not null), call => Assert.Equal(StatusCode.Unavailable, call.Status));
        Assert.Empty(pubSub.Delivered.Missing(accepted));
    }

    private static Dictionary<string, string?> Timeout() => new() { ["BusRuntime:PublishTimeout"] = PublishTimeout.ToString() };
}
