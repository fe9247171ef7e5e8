using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Testing;

namespace BusRuntime.IntegrationTests.PubSub;

/// <summary>A gRPC app's bulk subscription, with its sidecar on RabbitMQ.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class BulkSubscribeTests(RabbitMqFixture broker)
{
    [Fact]
    public async Task OnBulkTopicEvent_ManyEvents_EveryOneArrivesOnceInBatchesOfAtMostTheLimit()
    {
        const int count = 200;
        await using var entities = broker.Track();
        var topic = entities.Topic("orders");
        var appId = RabbitMqFixture.Unique("billing");
        var queue = entities.Subscription(appId, topic);
        await using var app = await SubscriberApp.ListingAsync(new TopicSubscription
        {
            PubsubName = RabbitMqFixture.PubsubName,
            Topic = topic,
            BulkSubscribe = new BulkSubscribeConfig { Enabled = true, MaxMessagesCount = 50, MaxAwaitDurationMs = 200 },
        });
        await using var sidecar = await TestSidecar.StartAsync(appId, RabbitMqFixture.Settings(), app.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        var published = await Publishing.PublishManyAsync(sidecar, topic, count, payloadBytes: 64, concurrency: 16);

        await Poll.UntilAsync(
            () => app.BulkReceived.Sum(request => request.Entries.Count) >= count,
            TimeSpan.FromSeconds(30),
            () => $"{app.BulkReceived.Sum(request => request.Entries.Count)} of {count} events arrived");
        var entries = app.BulkReceived.SelectMany(request => request.Entries).Select(entry => entry.EntryId).ToList();
        Assert.Equal(published.Order(), entries.Order());
        Assert.All(app.BulkReceived, request => Assert.InRange(request.Entries.Count, 1, 50));
        Assert.Contains(app.BulkReceived, request => request.Entries.Count > 1);
        Assert.Empty(app.Received);
        await broker.WaitForMessageCountAsync(queue, 0, TimeSpan.FromSeconds(10));
    }
}
