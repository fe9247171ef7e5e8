using BusRuntime.Grpc.PubSub;
using BusRuntime.Protos.Layotto.Runtime.V1;
using Google.Protobuf;
using Grpc.Core;
using Status = BusRuntime.Protos.Layotto.Runtime.V1.TopicEventResponse.Types.TopicEventResponseStatus;

namespace BusRuntime.Sidecar.Tests.Layotto;

/// <summary>Layotto's PublishEvent and SubscribeTopicEvents, from a client generated from Layotto's protos.</summary>
public sealed class LayottoPubSubApiTests(LayottoSidecar fixture) : IClassFixture<LayottoSidecar>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private Runtime.RuntimeClient Layotto => fixture.Client;

    [Fact]
    public async Task SubscribeTopicEvents_EventPublishedThroughLayotto_DeliveredWithItsMetadataMapAndTheMessageIdOfThePublishHeader()
    {
        var topic = LayottoSidecar.Key("stream");
        using var timeout = new CancellationTokenSource(Wait);
        using var call = Layotto.SubscribeTopicEvents(cancellationToken: timeout.Token);
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest
        {
            InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = topic },
        });
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        Assert.NotNull(call.ResponseStream.Current.InitialResponse);

        using var publish = Layotto.PublishEventAsync(new PublishEventRequest
        {
            PubsubName = "pubsub",
            Topic = topic,
            Data = ByteString.CopyFromUtf8("{\"n\":1}"),
            DataContentType = "application/json",
            Metadata = { ["tenant"] = "acme" },
        });
        await publish;
        var messageId = (await publish.ResponseHeadersAsync).GetValue(PubSubRpcs.MessageIdHeader);

        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        var delivered = call.ResponseStream.Current.EventMessage;
        Assert.False(string.IsNullOrEmpty(messageId));
        Assert.Equal(topic, delivered.Topic);
        Assert.Equal("pubsub", delivered.PubsubName);
        Assert.Equal("{\"n\":1}", delivered.Data.ToStringUtf8());
        Assert.Equal("application/json", delivered.DataContentType);
        Assert.Equal(LayottoSidecar.AppId, delivered.Source);
        Assert.Equal("acme", delivered.Metadata["tenant"]);
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest
        {
            EventProcessed = new SubscribeTopicEventsRequestProcessed { Id = delivered.Id, Status = new TopicEventResponse { Status = Status.Success } },
        });
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(timeout.Token));
    }

    [Theory]
    [InlineData("pubsub", "", StatusCode.InvalidArgument, "topic")]
    [InlineData("kafka", "orders", StatusCode.InvalidArgument, "kafka")]
    public async Task PublishEvent_BadNames_InvalidArgumentAsLayottoAnswers(string pubsubName, string topic, StatusCode code, string named)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Layotto.PublishEventAsync(new PublishEventRequest { PubsubName = pubsubName, Topic = topic, Data = ByteString.CopyFromUtf8("{}") }));

        Assert.Equal(code, error.StatusCode);
        Assert.Contains(named, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscribeTopicEvents_DeadLetterTopicThatIsNoTopic_InvalidArgumentNamingIt()
    {
        using var call = Layotto.SubscribeTopicEvents();
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest
        {
            InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = LayottoSidecar.Key("dlq"), DeadLetterTopic = "poison topic" },
        });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("dead-letter topic", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("'poison topic'", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscribeTopicEvents_FirstMessageNotInitial_InvalidArgument()
    {
        using var call = Layotto.SubscribeTopicEvents();
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { EventProcessed = new SubscribeTopicEventsRequestProcessed { Id = "x" } });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("initial_request", error.Status.Detail, StringComparison.Ordinal);
    }
}
