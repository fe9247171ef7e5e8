using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;
using PublishEventRequest = BusRuntime.Protos.V1.PublishEventRequest;
using Status = BusRuntime.Protos.Dapr.Runtime.V1.TopicEventResponse.Types.TopicEventResponseStatus;

namespace BusRuntime.Sidecar.Tests.PubSub;

public sealed class CallbackBulkSubscribeTests
{
    private static readonly Dictionary<string, string?> NoRetries = new() { ["BusRuntime:PubSub:RetryLimit"] = "0" };

    [Fact]
    public async Task OnBulkTopicEvent_BatchFills_OneRequestWithEveryEventAsACloudEventEntry()
    {
        await using var subscriber = await SubscriberApp.ListingAsync(new TopicSubscription
        {
            PubsubName = "pubsub",
            Topic = "orders",
            BulkSubscribe = new BulkSubscribeConfig { Enabled = true, MaxMessagesCount = 5, MaxAwaitDurationMs = 20_000 },
            Routes = new TopicRoutes { Default = "orders-route" },
        });
        await using var sidecar = await TestSidecar.StartAsync("shop", appPort: subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await PublishAsync(sidecar, $$"""{"n":{{i}}}"""));
        }

        await Poll.UntilAsync(() => !subscriber.BulkReceived.IsEmpty, TimeSpan.FromSeconds(10), () => "no bulk delivery arrived");
        var request = Assert.Single(subscriber.BulkReceived);
        Assert.Equal(("orders", "pubsub", "orders-route", "com.dapr.event.sent.bulk"), (request.Topic, request.PubsubName, request.Path, request.Type));
        Assert.Equal(ids.Order(), request.Entries.Select(entry => entry.EntryId).Order());
        Assert.All(request.Entries, entry =>
        {
            Assert.Equal(entry.EntryId, entry.CloudEvent.Id);
            Assert.Equal(("shop", "application/json", "1.0"), (entry.CloudEvent.Source, entry.CloudEvent.DataContentType, entry.CloudEvent.SpecVersion));
            Assert.StartsWith("{\"n\":", entry.CloudEvent.Data.ToStringUtf8(), StringComparison.Ordinal);
        });
        Assert.Empty(subscriber.Received);
    }

    [Fact]
    public async Task OnBulkTopicEvent_SubscriptionWithRawPayload_EntriesAreTheBytesAsPublishedWithTheirContentTypeAndMetadata()
    {
        await using var subscriber = await SubscriberApp.ListingAsync(new TopicSubscription
        {
            PubsubName = "pubsub",
            Topic = "orders",
            BulkSubscribe = new BulkSubscribeConfig { Enabled = true, MaxMessagesCount = 2, MaxAwaitDurationMs = 20_000 },
            Metadata = { ["rawPayload"] = "true" },
        });
        await using var sidecar = await TestSidecar.StartAsync("shop", appPort: subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        var published = new Dictionary<string, string>();
        foreach (var text in new[] { "first", "second" })
        {
            var response = await sidecar.Runtime.PublishEventAsync(new PublishEventRequest
            {
                PubsubName = "pubsub",
                Topic = "orders",
                Data = ByteString.CopyFromUtf8(text),
                DataContentType = "text/plain",
                Metadata = { ["tenant"] = "acme" },
            });
            published[response.MessageId] = text;
        }

        await Poll.UntilAsync(() => !subscriber.BulkReceived.IsEmpty, TimeSpan.FromSeconds(10), () => "no bulk delivery arrived");
        var request = Assert.Single(subscriber.BulkReceived);
        Assert.Equal(published.Keys.Order(), request.Entries.Select(entry => entry.EntryId).Order());
        Assert.All(request.Entries, entry =>
        {
            Assert.Equal(TopicEventBulkRequestEntry.EventOneofCase.Bytes, entry.EventCase);
            Assert.Equal(published[entry.EntryId], entry.Bytes.ToStringUtf8());
            Assert.Equal("text/plain", entry.ContentType);
            Assert.Equal("acme", entry.Metadata["tenant"]);
        });
    }

    [Fact]
    public async Task OnBulkTopicEvent_FewerEventsThanTheBatch_SentWhenTheWaitEnds()
    {
        await using var subscriber = await SubscriberApp.ListingAsync(new TopicSubscription
        {
            PubsubName = "pubsub",
            Topic = "orders",
            BulkSubscribe = new BulkSubscribeConfig { Enabled = true, MaxAwaitDurationMs = 200 },
        });
        await using var sidecar = await TestSidecar.StartAsync("shop", appPort: subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        var first = await PublishAsync(sidecar, "{}");
        var second = await PublishAsync(sidecar, "{}");

        await Poll.UntilAsync(() => subscriber.BulkReceived.Sum(request => request.Entries.Count) == 2, TimeSpan.FromSeconds(10), () => "the events did not arrive");
        Assert.Equal(new[] { first, second }.Order(), subscriber.BulkReceived.SelectMany(request => request.Entries).Select(entry => entry.EntryId).Order());
        Assert.All(subscriber.BulkReceived, request => Assert.Equal("", request.Path));
    }

    [Fact]
    public async Task OnBulkTopicEvent_EntriesAnsweredDifferently_EachAcknowledgedRetriedOrDeadLetteredOnItsOwn()
    {
        await using var subscriber = await SubscriberApp.ListingAsync(
            new TopicSubscription
            {
                PubsubName = "pubsub",
                Topic = "orders",
                DeadLetterTopic = "orders-poison",
                BulkSubscribe = new BulkSubscribeConfig { Enabled = true, MaxMessagesCount = 3, MaxAwaitDurationMs = 20_000 },
            },
            new TopicSubscription { PubsubName = "pubsub", Topic = "orders-poison" });
        subscriber.RespondBulk = entry => entry.CloudEvent.Data.ToStringUtf8() switch
        {
            "\"ok\"" => Status.Success,
            "\"drop\"" => Status.Drop,
            _ => null,
        };
        await using var sidecar = await TestSidecar.StartAsync("shop", NoRetries, subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(2);

        var ok = await PublishAsync(sidecar, "\"ok\"");
        var dropped = await PublishAsync(sidecar, "\"drop\"");
        var unanswered = await PublishAsync(sidecar, "\"none\"");

        await subscriber.WaitForAsync(2, TimeSpan.FromSeconds(10));
        await Task.Delay(300);
        Assert.Equal(3, Assert.Single(subscriber.BulkReceived).Entries.Count);
        Assert.All(subscriber.Received, received => Assert.Equal("orders-poison", received.Topic));
        Assert.Equal(new[] { dropped, unanswered }.Order(), subscriber.Received.Select(received => received.Id).Order());
        Assert.DoesNotContain(ok, subscriber.Received.Select(received => received.Id));
    }

    [Fact]
    public async Task ListTopicSubscriptions_BulkBatchTooLarge_ThatSubscriptionIsRejected()
    {
        await using var subscriber = await SubscriberApp.ListingAsync(
            new TopicSubscription { PubsubName = "pubsub", Topic = "huge", BulkSubscribe = new BulkSubscribeConfig { Enabled = true, MaxMessagesCount = 5000 } },
            new TopicSubscription { PubsubName = "pubsub", Topic = "orders" });
        await using var sidecar = await TestSidecar.StartAsync("shop", appPort: subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        await PublishAsync(sidecar, "{}");

        await subscriber.WaitForAsync(1, TimeSpan.FromSeconds(10));
        Assert.Empty(subscriber.BulkReceived);
    }

    [Fact]
    public async Task OnBulkTopicEventAlpha1_AppImplementsOnlyTheAlphaService_BatchesGoThere()
    {
        var alpha = new AlphaOnlyBulk();
        var (app, port) = await GrpcAppHost.StartAsync(new ListingOnly(), alpha);
        await using (app)
        {
            await using var sidecar = await TestSidecar.StartAsync("shop", appPort: port);
            await sidecar.WaitForSubscriptionsAsync(1);

            var first = await PublishAsync(sidecar, "{}");
            var second = await PublishAsync(sidecar, "{}");

            await Poll.UntilAsync(() => alpha.Received.Sum(request => request.Entries.Count) >= 2, TimeSpan.FromSeconds(10), () => "no bulk delivery arrived on OnBulkTopicEventAlpha1");
            Assert.Equal(new[] { first, second }.Order(), alpha.Received.SelectMany(request => request.Entries).Select(entry => entry.EntryId).Distinct().Order());
        }
    }

    /// <summary>Lists a bulk subscription and leaves OnBulkTopicEvent unimplemented, as an app built for Dapr before it was stable.</summary>
    private sealed class ListingOnly : Protos.Dapr.Runtime.V1.AppCallback.AppCallbackBase
    {
        public override Task<ListTopicSubscriptionsResponse> ListTopicSubscriptions(Google.Protobuf.WellKnownTypes.Empty request, ServerCallContext context) =>
            Task.FromResult(new ListTopicSubscriptionsResponse
            {
                Subscriptions =
                {
                    new TopicSubscription
                    {
                        PubsubName = "pubsub",
                        Topic = "orders",
                        BulkSubscribe = new BulkSubscribeConfig { Enabled = true, MaxMessagesCount = 2, MaxAwaitDurationMs = 200 },
                    },
                },
            });
    }

    private sealed class AlphaOnlyBulk : AppCallbackAlpha.AppCallbackAlphaBase
    {
        public System.Collections.Concurrent.ConcurrentQueue<TopicEventBulkRequest> Received { get; } = new();

#pragma warning disable CS0672 // Dapr deprecates the rpc; apps built before OnBulkTopicEvent still serve it.
        public override Task<TopicEventBulkResponse> OnBulkTopicEventAlpha1(TopicEventBulkRequest request, ServerCallContext context)
#pragma warning restore CS0672
        {
            Received.Enqueue(request);
            var response = new TopicEventBulkResponse();
            response.Statuses.AddRange(request.Entries.Select(entry => new TopicEventBulkResponseEntry { EntryId = entry.EntryId, Status = Status.Success }));
            return Task.FromResult(response);
        }
    }

    private static async Task<string> PublishAsync(TestSidecar sidecar, string json)
    {
        var response = await sidecar.Runtime.PublishEventAsync(new PublishEventRequest
        {
            PubsubName = "pubsub",
            Topic = "orders",
            Data = ByteString.CopyFromUtf8(json),
            DataContentType = "application/json",
        });
        return response.MessageId;
    }
}
