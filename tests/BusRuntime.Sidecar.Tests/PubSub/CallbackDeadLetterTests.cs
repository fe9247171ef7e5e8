using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using PublishEventRequest = BusRuntime.Protos.V1.PublishEventRequest;

namespace BusRuntime.Sidecar.Tests.PubSub;

public sealed class CallbackDeadLetterTests
{
    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["BusRuntime:PubSub:RetryLimit"] = "1",
        ["BusRuntime:PubSub:RetryMinInterval"] = "00:00:00.010",
        ["BusRuntime:PubSub:RetryMaxInterval"] = "00:00:00.050",
    };

    [Theory]
    [InlineData(TopicEventResponse.Types.TopicEventResponseStatus.Drop, 1)]
    [InlineData(TopicEventResponse.Types.TopicEventResponseStatus.Retry, 2)]
    public async Task OnTopicEvent_DroppedOrOutOfRetries_TheAppGetsItOnItsDeadLetterTopic(TopicEventResponse.Types.TopicEventResponseStatus answer, int attempts)
    {
        await using var subscriber = await SubscriberApp.ListingAsync(
            new TopicSubscription { PubsubName = "pubsub", Topic = "orders", DeadLetterTopic = "orders-poison" },
            new TopicSubscription { PubsubName = "pubsub", Topic = "orders-poison" });
        subscriber.Respond = request => request.Topic == "orders" ? answer : TopicEventResponse.Types.TopicEventResponseStatus.Success;
        await using var sidecar = await TestSidecar.StartAsync("shop", FastRetries, subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(2);

        var response = await sidecar.Runtime.PublishEventAsync(new PublishEventRequest
        {
            PubsubName = "pubsub",
            Topic = "orders",
            Data = ByteString.CopyFromUtf8("""{"n":1}"""),
            DataContentType = "application/json",
        });

        await subscriber.WaitForAsync(attempts + 1, TimeSpan.FromSeconds(10));
        await Task.Delay(300);
        Assert.Equal(attempts + 1, subscriber.Received.Count);
        var deadLetter = subscriber.Received.Last();
        Assert.Equal(("orders-poison", response.MessageId, "shop"), (deadLetter.Topic, deadLetter.Id, deadLetter.Source));
        Assert.Equal("""{"n":1}""", deadLetter.Data.ToStringUtf8());
        Assert.All(subscriber.Received.Take(attempts), received => Assert.Equal("orders", received.Topic));
    }
}
