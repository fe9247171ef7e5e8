using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;
using Status = BusRuntime.Protos.Dapr.Runtime.V1.TopicEventResponse.Types.TopicEventResponseStatus;

namespace BusRuntime.Sidecar.Tests.Dapr;

/// <summary>Dapr's PublishEvent, BulkPublishEvent (both names) and SubscribeTopicEventsAlpha1 mapped onto the topic publisher and subscriptions.</summary>
public sealed class DaprPubSubApiTests(DaprSidecar fixture) : IClassFixture<DaprSidecar>
{
    private Protos.Dapr.Runtime.V1.Dapr.DaprClient Dapr => fixture.Client;

    [Theory]
    [InlineData("pubsub", "", StatusCode.InvalidArgument, "topic")]
    [InlineData("", "orders", StatusCode.InvalidArgument, "pubsub_name")]
    [InlineData("kafka", "orders", StatusCode.InvalidArgument, "kafka")]
    public async Task PublishEvent_BadNames_PreciseStatus(string pubsubName, string topic, StatusCode code, string named)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Dapr.PublishEventAsync(new PublishEventRequest { PubsubName = pubsubName, Topic = topic, Data = ByteString.CopyFromUtf8("{}") }));

        Assert.Equal(code, error.StatusCode);
        Assert.Contains(named, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishEvent_DataOverTheMaximum_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Dapr.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = DaprSidecar.Key("big"), Data = ByteString.CopyFrom(new byte[1025]) }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("1024", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BulkPublishEvent_OneEntryTooLarge_OnlyThatEntryFailed()
    {
        var response = await Dapr.BulkPublishEventAsync(Bulk(DaprSidecar.Key("bulk")));

        var failed = Assert.Single(response.FailedEntries);
        Assert.Equal("big", failed.EntryId);
        Assert.Contains("1024", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BulkPublishEventAlpha1_SameRequest_SameAnswer()
    {
        var response = await Dapr.BulkPublishEventAlpha1Async(Bulk(DaprSidecar.Key("bulk")));

        Assert.Equal("big", Assert.Single(response.FailedEntries).EntryId);
    }

    [Fact]
    public async Task BulkPublishEvent_DuplicateEntryIds_InvalidArgument()
    {
        var request = new BulkPublishRequest
        {
            PubsubName = "pubsub",
            Topic = DaprSidecar.Key("bulk"),
            Entries = { new BulkPublishRequestEntry { EntryId = "1", Event = ByteString.CopyFromUtf8("{}") }, new BulkPublishRequestEntry { EntryId = "1", Event = ByteString.CopyFromUtf8("{}") } },
        };

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Dapr.BulkPublishEventAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task SubscribeTopicEventsAlpha1_EventPublishedThroughDapr_DeliveredAndAcknowledged()
    {
        var topic = DaprSidecar.Key("stream");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = Dapr.SubscribeTopicEventsAlpha1(cancellationToken: timeout.Token);
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequestAlpha1
        {
            InitialRequest = new SubscribeTopicEventsRequestInitialAlpha1 { PubsubName = "pubsub", Topic = topic },
        });
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        Assert.NotNull(call.ResponseStream.Current.InitialResponse);

        await Dapr.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = topic, Data = ByteString.CopyFromUtf8("{\"n\":1}"), DataContentType = "application/json" });

        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        var delivered = call.ResponseStream.Current.EventMessage;
        Assert.Equal(topic, delivered.Topic);
        Assert.Equal("{\"n\":1}", delivered.Data.ToStringUtf8());
        Assert.Equal(DaprSidecar.AppId, delivered.Source);
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequestAlpha1
        {
            EventProcessed = new SubscribeTopicEventsRequestProcessedAlpha1 { Id = delivered.Id, Status = new TopicEventResponse { Status = Status.Success } },
        });
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(timeout.Token));
    }

    [Fact]
    public async Task SubscribeTopicEventsAlpha1_FirstMessageNotInitial_InvalidArgument()
    {
        using var call = Dapr.SubscribeTopicEventsAlpha1();
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequestAlpha1 { EventProcessed = new SubscribeTopicEventsRequestProcessedAlpha1 { Id = "x" } });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("initial_request", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscribeTopicEventsAlpha1_DeadLetterTopicAndEventDropped_EventPublishedToTheDeadLetterTopicUnderItsId()
    {
        var topic = DaprSidecar.Key("dlq");
        var poison = DaprSidecar.Key("poison");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = await SubscribeAsync(topic, poison, timeout.Token);
        using var deadLetters = await SubscribeAsync(poison, "", timeout.Token);

        await Dapr.PublishEventAsync(new PublishEventRequest
        {
            PubsubName = "pubsub",
            Topic = topic,
            Data = ByteString.CopyFromUtf8("{\"n\":1}"),
            DataContentType = "application/json",
            Metadata = { ["cloudevent.type"] = "order.created", ["tenant"] = "acme" },
        });
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        var dropped = call.ResponseStream.Current.EventMessage;
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequestAlpha1
        {
            EventProcessed = new SubscribeTopicEventsRequestProcessedAlpha1 { Id = dropped.Id, Status = new TopicEventResponse { Status = Status.Drop } },
        });

        Assert.True(await deadLetters.ResponseStream.MoveNext(timeout.Token));
        var deadLetter = deadLetters.ResponseStream.Current.EventMessage;
        Assert.Equal(dropped.Id, deadLetter.Id);
        Assert.Equal(poison, deadLetter.Topic);
        Assert.Equal(("order.created", DaprSidecar.AppId, "application/json"), (deadLetter.Type, deadLetter.Source, deadLetter.DataContentType));
        Assert.Equal("{\"n\":1}", deadLetter.Data.ToStringUtf8());
        Assert.Equal("acme", deadLetter.Extensions.Fields["tenant"].StringValue);
        await deadLetters.RequestStream.WriteAsync(new SubscribeTopicEventsRequestAlpha1
        {
            EventProcessed = new SubscribeTopicEventsRequestProcessedAlpha1 { Id = deadLetter.Id, Status = new TopicEventResponse { Status = Status.Success } },
        });
        await call.RequestStream.CompleteAsync();
        await deadLetters.RequestStream.CompleteAsync();
    }

    [Theory]
    [InlineData("bad topic", StatusCode.InvalidArgument)]
    [InlineData("self", StatusCode.InvalidArgument)]
    public async Task SubscribeTopicEventsAlpha1_BadDeadLetterTopic_InvalidArgument(string deadLetterTopic, StatusCode code)
    {
        var topic = DaprSidecar.Key("dlq-bad");
        using var call = Dapr.SubscribeTopicEventsAlpha1();
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequestAlpha1
        {
            InitialRequest = new SubscribeTopicEventsRequestInitialAlpha1 { PubsubName = "pubsub", Topic = topic, DeadLetterTopic = deadLetterTopic == "self" ? topic : deadLetterTopic },
        });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext());

        Assert.Equal(code, error.StatusCode);
        Assert.Contains("dead-letter topic", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscribeTopicEventsAlpha1_EmptyDeadLetterTopicAsTheDotNetSdkSends_IsSubscribed()
    {
        using var call = Dapr.SubscribeTopicEventsAlpha1();
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequestAlpha1
        {
            InitialRequest = new SubscribeTopicEventsRequestInitialAlpha1 { PubsubName = "pubsub", Topic = DaprSidecar.Key("nodlq"), DeadLetterTopic = "" },
        });

        Assert.True(await call.ResponseStream.MoveNext());
        Assert.NotNull(call.ResponseStream.Current.InitialResponse);
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task SubscribeTopicEventsAlpha1_AcknowledgementWithoutId_InvalidArgument()
    {
        using var call = Dapr.SubscribeTopicEventsAlpha1();
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequestAlpha1
        {
            InitialRequest = new SubscribeTopicEventsRequestInitialAlpha1 { PubsubName = "pubsub", Topic = DaprSidecar.Key("noid") },
        });
        Assert.True(await call.ResponseStream.MoveNext());
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequestAlpha1 { EventProcessed = new SubscribeTopicEventsRequestProcessedAlpha1() });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("event_processed.id", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMetadata_AppListsSubscriptions_TheyAreListed()
    {
        await using var subscriber = await SubscriberApp.StartAsync(("pubsub", "listed-orders"));
        await using var sidecar = await TestSidecar.StartAsync("dapr-subscriber", appPort: subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);
        var (channel, client) = DaprSidecar.ClientFor(sidecar);
        using (channel)
        {
            var metadata = await client.GetMetadataAsync(new GetMetadataRequest());

            var subscription = Assert.Single(metadata.Subscriptions);
            Assert.Equal(("pubsub", "listed-orders"), (subscription.PubsubName, subscription.Topic));
            Assert.Equal(subscriber.Port, metadata.AppConnectionProperties.Port);
            Assert.Equal("grpc", metadata.AppConnectionProperties.Protocol);
        }
    }

    private async Task<AsyncDuplexStreamingCall<SubscribeTopicEventsRequestAlpha1, SubscribeTopicEventsResponseAlpha1>> SubscribeAsync(
        string topic, string deadLetterTopic, CancellationToken cancellationToken)
    {
        var call = Dapr.SubscribeTopicEventsAlpha1(cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequestAlpha1
        {
            InitialRequest = new SubscribeTopicEventsRequestInitialAlpha1 { PubsubName = "pubsub", Topic = topic, DeadLetterTopic = deadLetterTopic },
        }, cancellationToken);
        Assert.True(await call.ResponseStream.MoveNext(cancellationToken));
        Assert.NotNull(call.ResponseStream.Current.InitialResponse);
        return call;
    }

    private static BulkPublishRequest Bulk(string topic) => new()
    {
        PubsubName = "pubsub",
        Topic = topic,
        Entries =
        {
            new BulkPublishRequestEntry { EntryId = "small", Event = ByteString.CopyFromUtf8("{}"), ContentType = "application/json" },
            new BulkPublishRequestEntry { EntryId = "big", Event = ByteString.CopyFrom(new byte[1025]), ContentType = "application/octet-stream" },
        },
    };
}
