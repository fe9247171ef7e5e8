using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Testing;

namespace BusRuntime.IntegrationTests.PubSub;

/// <summary>Apps that subscribe by serving AppCallback, with their sidecars on RabbitMQ.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class CallbackSubscriptionTests(RabbitMqFixture broker, ITestOutputHelper output)
{
    private const int RetryLimit = 2;

    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["BusRuntime:PubSub:RetryLimit"] = RetryLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["BusRuntime:PubSub:RetryMinInterval"] = "00:00:00.010",
        ["BusRuntime:PubSub:RetryMaxInterval"] = "00:00:00.050",
    };

    [Fact]
    public async Task PublishEvent_TenThousandEventsToTwoReplicasAndAnotherApp_ReplicasShareThemAndTheOtherAppGetsAll()
    {
        const int count = 10_000;
        await using var entities = broker.Track();
        var topic = entities.Topic("orders");
        var billing = RabbitMqFixture.Unique("billing");
        var shipping = RabbitMqFixture.Unique("shipping");
        var billingQueue = entities.Subscription(billing, topic);
        var shippingQueue = entities.Subscription(shipping, topic);

        await using var billingApp1 = await SubscriberApp.StartAsync((RabbitMqFixture.PubsubName, topic));
        await using var billingApp2 = await SubscriberApp.StartAsync((RabbitMqFixture.PubsubName, topic));
        await using var shippingApp = await SubscriberApp.StartAsync((RabbitMqFixture.PubsubName, topic));
        await using var billingSidecar1 = await TestSidecar.StartAsync(billing, RabbitMqFixture.Settings(), billingApp1.Port);
        await using var billingSidecar2 = await TestSidecar.StartAsync(billing, RabbitMqFixture.Settings(), billingApp2.Port);
        await using var shippingSidecar = await TestSidecar.StartAsync(shipping, RabbitMqFixture.Settings(), shippingApp.Port);
        await using var publisher = await TestSidecar.StartAsync(RabbitMqFixture.Unique("shop"), RabbitMqFixture.Settings());
        await Task.WhenAll(
            billingSidecar1.WaitForSubscriptionsAsync(1),
            billingSidecar2.WaitForSubscriptionsAsync(1),
            shippingSidecar.WaitForSubscriptionsAsync(1),
            publisher.WaitUntilReadyAsync());

        await FanOut.PublishAndVerifyAsync(
            broker,
            output,
            publisher,
            topic,
            count,
            (billing, billingQueue, () => Ids(billingApp1), () => Ids(billingApp2)),
            (shippingQueue, () => Ids(shippingApp)));
    }

    [Fact]
    public async Task PublishEvent_SubscriberAnswersRetryThenSuccess_SameIdIsRedeliveredAndAcknowledged()
    {
        await using var entities = broker.Track();
        var topic = entities.Topic("payments");
        var appId = RabbitMqFixture.Unique("billing");
        var queue = entities.Subscription(appId, topic);
        await using var app = await SubscriberApp.StartAsync((RabbitMqFixture.PubsubName, topic));
        var answers = 0;
        app.Respond = _ => Interlocked.Increment(ref answers) == 1
            ? TopicEventResponse.Types.TopicEventResponseStatus.Retry
            : TopicEventResponse.Types.TopicEventResponseStatus.Success;
        string id;
        await using (var sidecar = await TestSidecar.StartAsync(appId, RabbitMqFixture.Settings(FastRetries), app.Port))
        {
            await sidecar.WaitForSubscriptionsAsync(1);

            id = await Publishing.PublishOneAsync(sidecar, topic);

            await app.WaitForAsync(2, TimeSpan.FromSeconds(10));
        }

        // The sidecar is gone: an event it had not acknowledged would be back in the queue now.
        Assert.Equal([id, id], app.Received.Select(received => received.Id));
        Assert.Equal(0u, await broker.MessageCountAsync(queue));
        Assert.Null(await broker.MessageCountAsync(queue + "_error"));
    }

    [Theory]
    [InlineData(TopicEventResponse.Types.TopicEventResponseStatus.Drop, 1)]
    [InlineData(TopicEventResponse.Types.TopicEventResponseStatus.Retry, RetryLimit + 1)]
    public async Task PublishEvent_SubscriberDropsOrAlwaysRetries_DeadLetteredAfterAsManyDeliveries(TopicEventResponse.Types.TopicEventResponseStatus answer, int deliveries)
    {
        await using var entities = broker.Track();
        var topic = entities.Topic("payments");
        var appId = RabbitMqFixture.Unique("billing");
        var queue = entities.Subscription(appId, topic);
        await using var app = await SubscriberApp.StartAsync((RabbitMqFixture.PubsubName, topic));
        app.Respond = _ => answer;
        await using var sidecar = await TestSidecar.StartAsync(appId, RabbitMqFixture.Settings(FastRetries), app.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        var id = await Publishing.PublishOneAsync(sidecar, topic);

        await broker.WaitForMessageCountAsync(RabbitMqFixture.ErrorQueue(appId, topic), 1, TimeSpan.FromSeconds(10));
        Assert.Equal([id], await broker.PeekMessageIdsAsync(RabbitMqFixture.ErrorQueue(appId, topic)));
        Assert.Equal(Enumerable.Repeat(id, deliveries), app.Received.Select(received => received.Id));
        Assert.Equal(0u, await broker.MessageCountAsync(queue));
    }

    [Fact]
    public async Task PublishEvent_SubscriberAppStoppedAfterSubscribing_CountsAsRetryThenDeadLettered()
    {
        await using var entities = broker.Track();
        var topic = entities.Topic("payments");
        var appId = RabbitMqFixture.Unique("billing");
        var queue = entities.Subscription(appId, topic);
        var app = await SubscriberApp.StartAsync((RabbitMqFixture.PubsubName, topic));
        await using var sidecar = await TestSidecar.StartAsync(appId, RabbitMqFixture.Settings(FastRetries), app.Port);
        await sidecar.WaitForSubscriptionsAsync(1);
        await app.DisposeAsync();

        var id = await Publishing.PublishOneAsync(sidecar, topic);

        await broker.WaitForMessageCountAsync(RabbitMqFixture.ErrorQueue(appId, topic), 1, TimeSpan.FromSeconds(10));
        Assert.Equal([id], await broker.PeekMessageIdsAsync(RabbitMqFixture.ErrorQueue(appId, topic)));
        Assert.Empty(app.Received);
        Assert.Equal(0u, await broker.MessageCountAsync(queue));
    }

    [Fact]
    public async Task PublishEvent_SubscriberDownWhilePublishing_ReceivesEverythingWhenItComesBack()
    {
        const int count = 200;
        await using var entities = broker.Track();
        var topic = entities.Topic("orders");
        var appId = RabbitMqFixture.Unique("billing");
        var queue = entities.Subscription(appId, topic);
        await using (var firstRun = await SubscriberApp.StartAsync((RabbitMqFixture.PubsubName, topic)))
        await using (var firstSidecar = await TestSidecar.StartAsync(appId, RabbitMqFixture.Settings(), firstRun.Port))
        {
            await firstSidecar.WaitForSubscriptionsAsync(1);
        }

        await using var publisher = await TestSidecar.StartAsync(RabbitMqFixture.Unique("shop"), RabbitMqFixture.Settings());
        var published = await Publishing.PublishManyAsync(publisher, topic, count, payloadBytes: 64, concurrency: 16);
        await broker.WaitForMessageCountAsync(queue, count, TimeSpan.FromSeconds(10));

        await using var app = await SubscriberApp.StartAsync((RabbitMqFixture.PubsubName, topic));
        await using var sidecar = await TestSidecar.StartAsync(appId, RabbitMqFixture.Settings(), app.Port);

        await Poll.UntilAsync(() => new Deliveries(Ids(app)).HasAll(published), TimeSpan.FromSeconds(30), () => $"the app has {new Deliveries(Ids(app))} of {count}");
        var delivered = new Deliveries(Ids(app));
        Assert.Empty(delivered.Unknown(published.ToHashSet(StringComparer.Ordinal)));
        Assert.Equal(0, delivered.Duplicates);
        await broker.WaitForMessageCountAsync(queue, 0, TimeSpan.FromSeconds(10));
    }

    private static IEnumerable<string> Ids(SubscriberApp app) => app.Received.Select(received => received.Id);
}
