using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;
using PublishEventRequest = BusRuntime.Protos.V1.PublishEventRequest;

namespace BusRuntime.Sidecar.Tests.PubSub;

public sealed class StreamSubscriptionTests
{
    [Fact]
    public async Task SubscribeTopicEvents_EventsAcknowledgedById_EachArrivesOnce()
    {
        await using var sidecar = await TestSidecar.StartAsync("stream-app");
        using var call = sidecar.Runtime.SubscribeTopicEvents();
        await call.RequestStream.WriteAsync(Initial("pubsub", "news"));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.NotNull(call.ResponseStream.Current.InitialResponse);

        var published = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var response = await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "news", Data = ByteString.CopyFromUtf8($"{{\"n\":{i}}}") });
            published.Add(response.MessageId);
        }

        var received = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (received.Count < 5 && await call.ResponseStream.MoveNext(timeout.Token))
        {
            var topicEvent = call.ResponseStream.Current.EventMessage;
            received.Add(topicEvent.Id);
            await call.RequestStream.WriteAsync(Processed(topicEvent.Id, TopicEventResponse.Types.TopicEventResponseStatus.Success));
        }

        Assert.Equal(published.Order(), received.Order());
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task SubscribeTopicEvents_StreamClosesWithoutAck_EventIsRedeliveredToNextStream()
    {
        await using var sidecar = await TestSidecar.StartAsync("stream-redeliver");
        string firstId;
        using (var first = sidecar.Runtime.SubscribeTopicEvents())
        {
            await first.RequestStream.WriteAsync(Initial("pubsub", "jobs"));
            await first.ResponseStream.MoveNext(CancellationToken.None);
            var published = await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "jobs", Data = ByteString.CopyFromUtf8("1") });
            await first.ResponseStream.MoveNext(CancellationToken.None);
            firstId = first.ResponseStream.Current.EventMessage.Id;
            Assert.Equal(published.MessageId, firstId);
            await first.RequestStream.CompleteAsync();
        }

        using var second = sidecar.Runtime.SubscribeTopicEvents();
        await second.RequestStream.WriteAsync(Initial("pubsub", "jobs"));
        await second.ResponseStream.MoveNext(CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        Assert.True(await second.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal(firstId, second.ResponseStream.Current.EventMessage.Id);
        await second.RequestStream.WriteAsync(Processed(firstId, TopicEventResponse.Types.TopicEventResponseStatus.Success));
        await second.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task SubscribeTopicEvents_FirstMessageIsNotInitialRequest_FailsWithInvalidArgument()
    {
        await using var sidecar = await TestSidecar.StartAsync("stream-bad");
        using var call = sidecar.Runtime.SubscribeTopicEvents();
        await call.RequestStream.WriteAsync(Processed("x", TopicEventResponse.Types.TopicEventResponseStatus.Success));

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("initial_request", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscribeTopicEvents_UnknownPubsub_FailsWithNotFoundListingConfiguredNames()
    {
        await using var sidecar = await TestSidecar.StartAsync("stream-unknown");
        using var call = sidecar.Runtime.SubscribeTopicEvents();
        await call.RequestStream.WriteAsync(Initial("kafka", "news"));

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("'kafka'", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("configured: pubsub", error.Status.Detail, StringComparison.Ordinal);
    }

    private static SubscribeTopicEventsRequest Initial(string pubsubName, string topic) =>
        new() { InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = pubsubName, Topic = topic } };

    private static SubscribeTopicEventsRequest Processed(string id, TopicEventResponse.Types.TopicEventResponseStatus status) =>
        new() { EventProcessed = new SubscribeTopicEventsRequestProcessed { Id = id, Status = new TopicEventResponse { Status = status } } };
}
