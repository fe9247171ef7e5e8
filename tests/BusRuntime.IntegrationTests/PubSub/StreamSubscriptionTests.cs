using System.Diagnostics;
using BusRuntime.Testing;

namespace BusRuntime.IntegrationTests.PubSub;

/// <summary>Apps that subscribe with SubscribeTopicEvents streams (no server), with their sidecars on RabbitMQ.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class StreamSubscriptionTests(RabbitMqFixture broker, ITestOutputHelper output)
{
    [Fact]
    public async Task SubscribeTopicEvents_TenThousandEventsToTwoReplicaStreamsAndAnotherApp_ReplicasShareThemAndTheOtherAppGetsAll()
    {
        const int count = 10_000;
        await using var entities = broker.Track();
        var topic = entities.Topic("orders");
        var billing = RabbitMqFixture.Unique("billing");
        var shipping = RabbitMqFixture.Unique("shipping");
        var billingQueue = entities.Subscription(billing, topic);
        var shippingQueue = entities.Subscription(shipping, topic);

        await using var billingSidecar1 = await TestSidecar.StartAsync(billing, RabbitMqFixture.Settings());
        await using var billingSidecar2 = await TestSidecar.StartAsync(billing, RabbitMqFixture.Settings());
        await using var shippingSidecar = await TestSidecar.StartAsync(shipping, RabbitMqFixture.Settings());
        await using var publisher = await TestSidecar.StartAsync(RabbitMqFixture.Unique("shop"), RabbitMqFixture.Settings());
        await using var replica1 = await StreamSubscriber.OpenAsync(billingSidecar1, topic);
        await using var replica2 = await StreamSubscriber.OpenAsync(billingSidecar2, topic);
        await using var shippingStream = await StreamSubscriber.OpenAsync(shippingSidecar, topic);
        await publisher.WaitUntilReadyAsync();

        var clock = Stopwatch.StartNew();
        var published = await Publishing.PublishManyAsync(publisher, topic, count);
        var publishedIn = clock.Elapsed;
        var publishedIds = published.ToHashSet(StringComparer.Ordinal);
        await Poll.UntilAsync(
            () => new Deliveries(replica1.Received.Concat(replica2.Received)).HasAll(published) && new Deliveries(shippingStream.Received).HasAll(published),
            TimeSpan.FromSeconds(60),
            () => $"billing has {new Deliveries(replica1.Received.Concat(replica2.Received))}, shipping has {new Deliveries(shippingStream.Received)} of {count}");
        var deliveredIn = clock.Elapsed;
        await broker.WaitForMessageCountAsync(billingQueue, 0, TimeSpan.FromSeconds(10));
        await broker.WaitForMessageCountAsync(shippingQueue, 0, TimeSpan.FromSeconds(10));

        var first = new Deliveries(replica1.Received);
        var second = new Deliveries(replica2.Received);
        var billingAll = new Deliveries(replica1.Received.Concat(replica2.Received));
        var shippingAll = new Deliveries(shippingStream.Received);
        output.WriteLine($"published {count} events of 1 KB in {publishedIn.TotalSeconds:0.00}s; all delivered after {deliveredIn.TotalSeconds:0.00}s");
        output.WriteLine($"billing stream 1: {first}; stream 2: {second}; together: {billingAll}");
        output.WriteLine($"shipping: {shippingAll}");
        Assert.Equal(count, publishedIds.Count);
        Assert.Empty(billingAll.Missing(published));
        Assert.Empty(shippingAll.Missing(published));
        Assert.Empty(billingAll.Unknown(publishedIds));
        Assert.Empty(shippingAll.Unknown(publishedIds));
        Assert.True(first.Distinct > 0 && second.Distinct > 0, $"Both replicas of {billing} compete for its queue: stream 1 got {first.Distinct}, stream 2 got {second.Distinct}.");
        Assert.Equal(0, billingAll.Duplicates);
        Assert.Equal(0, shippingAll.Duplicates);
    }
}
