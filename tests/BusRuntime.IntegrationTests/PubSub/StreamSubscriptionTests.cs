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

        await FanOut.PublishAndVerifyAsync(
            broker,
            output,
            publisher,
            topic,
            count,
            (billing, billingQueue, () => replica1.Received, () => replica2.Received),
            (shippingQueue, () => shippingStream.Received));
    }
}
