using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using PublishEventRequest = BusRuntime.Protos.V1.PublishEventRequest;

namespace BusRuntime.Sidecar.Tests.PubSub;

public sealed class CallbackSubscriptionTests
{
    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["BusRuntime:PubSub:RetryLimit"] = "2",
        ["BusRuntime:PubSub:RetryMinInterval"] = "00:00:00.010",
        ["BusRuntime:PubSub:RetryMaxInterval"] = "00:00:00.050",
    };

    [Fact]
    public async Task PublishEvent_SubscriberListsTopic_ReceivesCloudEventWithPublishedIdAndUntouchedData()
    {
        await using var subscriber = await SubscriberApp.StartAsync(("pubsub", "orders"));
        await using var sidecar = await TestSidecar.StartAsync("shop", appPort: subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);
        byte[] payload = [0, 1, 2, 250, 255, (byte)'{'];

        var response = await sidecar.Runtime.PublishEventAsync(new PublishEventRequest
        {
            PubsubName = "pubsub",
            Topic = "orders",
            Data = ByteString.CopyFrom(payload),
            DataContentType = "application/octet-stream",
            Metadata = { ["tenant"] = "acme", ["cloudevent.type"] = "order.created" },
        });

        await subscriber.WaitForAsync(1, TimeSpan.FromSeconds(10));
        var received = Assert.Single(subscriber.Received);
        Assert.Equal(response.MessageId, received.Id);
        Assert.True(Guid.TryParse(response.MessageId, out _));
        Assert.Equal("shop", received.Source);
        Assert.Equal("order.created", received.Type);
        Assert.Equal("1.0", received.SpecVersion);
        Assert.Equal("application/octet-stream", received.DataContentType);
        Assert.Equal("orders", received.Topic);
        Assert.Equal("pubsub", received.PubsubName);
        Assert.Equal(payload, received.Data.ToByteArray());
        Assert.Equal("acme", received.Extensions.Fields["tenant"].StringValue);
    }

    [Fact]
    public async Task PublishEvent_SubscriberAnswersRetryTwice_IsRedeliveredUntilSuccess()
    {
        await using var subscriber = await SubscriberApp.StartAsync(("pubsub", "payments"));
        var answers = 0;
        subscriber.Respond = _ => Interlocked.Increment(ref answers) <= 2
            ? TopicEventResponse.Types.TopicEventResponseStatus.Retry
            : TopicEventResponse.Types.TopicEventResponseStatus.Success;
        await using var sidecar = await TestSidecar.StartAsync("billing", FastRetries, subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        var response = await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "payments", Data = ByteString.CopyFromUtf8("{}") });

        await subscriber.WaitForAsync(3, TimeSpan.FromSeconds(10));
        Assert.All(subscriber.Received, received => Assert.Equal(response.MessageId, received.Id));
        await Task.Delay(300);
        Assert.Equal(3, subscriber.Received.Count);
    }
}
