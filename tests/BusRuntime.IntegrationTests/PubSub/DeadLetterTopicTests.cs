using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Testing;

namespace BusRuntime.IntegrationTests.PubSub;

/// <summary>A gRPC app's dead-letter topic, with its sidecar on RabbitMQ.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class DeadLetterTopicTests(RabbitMqFixture broker)
{
    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["BusRuntime:PubSub:RetryLimit"] = "1",
        ["BusRuntime:PubSub:RetryMinInterval"] = "00:00:00.010",
        ["BusRuntime:PubSub:RetryMaxInterval"] = "00:00:00.050",
    };

    [Fact]
    public async Task PublishEvent_SubscriberDrops_EventReachesTheDeadLetterTopicAndNotTheErrorQueue()
    {
        await using var entities = broker.Track();
        var topic = entities.Topic("payments");
        var poison = entities.Topic("payments-poison");
        var appId = RabbitMqFixture.Unique("billing");
        var queue = entities.Subscription(appId, topic);
        var poisonQueue = entities.Subscription(appId, poison);
        await using var app = await SubscriberApp.ListingAsync(
            new TopicSubscription { PubsubName = RabbitMqFixture.PubsubName, Topic = topic, DeadLetterTopic = poison },
            new TopicSubscription { PubsubName = RabbitMqFixture.PubsubName, Topic = poison });
        app.Respond = request => request.Topic == topic ? TopicEventResponse.Types.TopicEventResponseStatus.Drop : TopicEventResponse.Types.TopicEventResponseStatus.Success;
        await using var sidecar = await TestSidecar.StartAsync(appId, RabbitMqFixture.Settings(FastRetries), app.Port);
        await sidecar.WaitForSubscriptionsAsync(2);

        var id = await Publishing.PublishOneAsync(sidecar, topic, """{"n":1}""");

        await app.WaitForAsync(2, TimeSpan.FromSeconds(10));
        var deadLetter = app.Received.Last();
        Assert.Equal((poison, id, """{"n":1}"""), (deadLetter.Topic, deadLetter.Id, deadLetter.Data.ToStringUtf8()));
        await broker.WaitForMessageCountAsync(queue, 0, TimeSpan.FromSeconds(10));
        await broker.WaitForMessageCountAsync(poisonQueue, 0, TimeSpan.FromSeconds(10));
        Assert.Null(await broker.MessageCountAsync(RabbitMqFixture.ErrorQueue(appId, topic)));
        Assert.Equal(2, app.Received.Count);
    }
}
