using System.Net;
using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Protos.V1;
using BusRuntime.Sidecar.Tests.Dapr;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static BusRuntime.Sidecar.Tests.Http.DaprHttp;
using BulkPublishRequest = BusRuntime.Protos.V1.BulkPublishRequest;
using BulkPublishRequestEntry = BusRuntime.Protos.V1.BulkPublishRequestEntry;
using DaprBulkPublishRequest = BusRuntime.Protos.Dapr.Runtime.V1.BulkPublishRequest;
using DaprBulkPublishRequestEntry = BusRuntime.Protos.Dapr.Runtime.V1.BulkPublishRequestEntry;
using DaprPublishEventRequest = BusRuntime.Protos.Dapr.Runtime.V1.PublishEventRequest;
using PublishEventRequest = BusRuntime.Protos.V1.PublishEventRequest;

namespace BusRuntime.Sidecar.Tests.Security;

/// <summary>Pub/sub topic scopes on every API of one sidecar: the app "shop" may publish "orders" only and subscribe to "news" only.</summary>
public sealed class TopicScopeTests
{
    private const string AppId = "shop";

    private static readonly Dictionary<string, string?> Scoped = new()
    {
        ["BusRuntime:Components:0:Name"] = "pubsub",
        ["BusRuntime:Components:0:Type"] = "pubsub.bus",
        ["BusRuntime:Components:0:Metadata:publishingScopes"] = "shop=orders;billing=invoices",
        ["BusRuntime:Components:0:Metadata:subscriptionScopes"] = "shop=news",
    };

    private const string PublishRefusal = "app 'shop' may not publish to topic 'invoices' of pub/sub 'pubsub': the component's publishingScopes grant this app only orders.";

    private const string SubscribeRefusal = "app 'shop' may not subscribe to topic 'orders' of pub/sub 'pubsub': the component's subscriptionScopes grant this app only news.";

    [Fact]
    public async Task PublishEvent_TopicOutsideTheScopes_PermissionDeniedOnBothGrpcApis()
    {
        await using var sidecar = await TestSidecar.StartAsync(AppId, Scoped);
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using var _ = channel;

        var ours = await Assert.ThrowsAsync<RpcException>(async () =>
            await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "invoices", Data = ByteString.CopyFromUtf8("{}") }));
        var daprs = await Assert.ThrowsAsync<RpcException>(async () =>
            await dapr.PublishEventAsync(new DaprPublishEventRequest { PubsubName = "pubsub", Topic = "invoices", Data = ByteString.CopyFromUtf8("{}") }));
        var allowed = await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "orders", Data = ByteString.CopyFromUtf8("{}") });

        Assert.Equal(StatusCode.PermissionDenied, ours.StatusCode);
        Assert.Equal(PublishRefusal, ours.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, daprs.StatusCode);
        Assert.Equal(PublishRefusal, daprs.Status.Detail);
        Assert.NotEmpty(allowed.MessageId);
    }

    [Fact]
    public async Task BulkPublishEvent_TopicOutsideTheScopes_PermissionDeniedOnBothGrpcApis()
    {
        await using var sidecar = await TestSidecar.StartAsync(AppId, Scoped);
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using var _ = channel;

        var ours = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.BulkPublishEventAsync(new BulkPublishRequest
        {
            PubsubName = "pubsub",
            Topic = "invoices",
            Entries = { new BulkPublishRequestEntry { EntryId = "1", Event = ByteString.CopyFromUtf8("{}"), ContentType = "application/json" } },
        }));
        var daprs = await Assert.ThrowsAsync<RpcException>(async () => await dapr.BulkPublishEventAsync(new DaprBulkPublishRequest
        {
            PubsubName = "pubsub",
            Topic = "invoices",
            Entries = { new DaprBulkPublishRequestEntry { EntryId = "1", Event = ByteString.CopyFromUtf8("{}"), ContentType = "application/json" } },
        }));

        Assert.Equal(StatusCode.PermissionDenied, ours.StatusCode);
        Assert.Equal(PublishRefusal, ours.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, daprs.StatusCode);
        Assert.Equal(PublishRefusal, daprs.Status.Detail);
    }

    [Fact]
    public async Task HttpPublish_TopicOutsideTheScopes_Returns403PubSubForbidden()
    {
        await using var sidecar = await TestSidecar.StartAsync(AppId, Scoped);

        using var published = await sidecar.Http.PostAsync(Path("/v1.0/publish/pubsub/invoices"), Json("{}"));
        using var bulk = await sidecar.Http.PostAsync(
            Path("/v1.0-alpha1/publish/bulk/pubsub/invoices"),
            Json("""[{"entryId":"1","event":{"n":1},"contentType":"application/json"}]"""));
        using var allowed = await sidecar.Http.PostAsync(Path("/v1.0/publish/pubsub/orders"), Json("{}"));

        await AssertErrorAsync(published, HttpStatusCode.Forbidden, "ERR_PUBSUB_FORBIDDEN", PublishRefusal);
        await AssertErrorAsync(bulk, HttpStatusCode.Forbidden, "ERR_PUBSUB_FORBIDDEN", PublishRefusal);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
    }

    [Fact]
    public async Task SubscribeTopicEvents_TopicOutsideTheScopes_PermissionDeniedOnBothGrpcApis()
    {
        await using var sidecar = await TestSidecar.StartAsync(AppId, Scoped);
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using var _ = channel;

        using var ours = sidecar.Runtime.SubscribeTopicEvents();
        await ours.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = "orders" } });
        var oursError = await Assert.ThrowsAsync<RpcException>(() => ours.ResponseStream.MoveNext(CancellationToken.None));
        using var daprs = dapr.SubscribeTopicEventsAlpha1();
        await daprs.RequestStream.WriteAsync(new SubscribeTopicEventsRequestAlpha1 { InitialRequest = new SubscribeTopicEventsRequestInitialAlpha1 { PubsubName = "pubsub", Topic = "orders" } });
        var daprsError = await Assert.ThrowsAsync<RpcException>(() => daprs.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.PermissionDenied, oursError.StatusCode);
        Assert.Equal(SubscribeRefusal, oursError.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, daprsError.StatusCode);
        Assert.Equal(SubscribeRefusal, daprsError.Status.Detail);
        Assert.Empty(sidecar.Services.GetRequiredService<Core.Subscriptions.TopicSubscriptions>().List());
    }

    [Fact]
    public async Task CallbackSubscriptions_AppListsATopicOutsideTheScopes_OnlyTheAllowedOneIsSubscribed()
    {
        await using var subscriber = await SubscriberApp.StartAsync(("pubsub", "orders"), ("pubsub", "news"));
        await using var sidecar = await TestSidecar.StartAsync(AppId, Scoped, subscriber.Port);

        await sidecar.WaitForSubscriptionsAsync(1);
        var loaded = await WaitForLogAsync(sidecar, "Subscribed to 1 of the app's 2 subscriptions");

        var subscription = Assert.Single(sidecar.Services.GetRequiredService<Core.Subscriptions.TopicSubscriptions>().List());
        Assert.Equal("news", subscription.Topic);
        Assert.Contains($"The subscription to pubsub/orders (listed by the app) was rejected: {SubscribeRefusal}", loaded, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("publishingScopes", "shop:orders", "BusRuntime:Components:0:Metadata:publishingScopes: entry 'shop:orders' is not app=topic1,topic2")]
    [InlineData("allowedTopics", "orders,or ders/*", "BusRuntime:Components:0:Metadata:allowedTopics: 'orders/*' is not a topic any app can use")]
    [InlineData("subscriptionScope", "shop=news", "BusRuntime:Components:0:Metadata:subscriptionScope is not a setting of pubsub.bus; its settings: publishingScopes, subscriptionScopes, allowedTopics, protectedTopics.")]
    public async Task Start_MalformedOrMisspeltScope_FailsNamingTheKey(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["BusRuntime:Components:0:Name"] = "pubsub",
            ["BusRuntime:Components:0:Type"] = "pubsub.bus",
            [$"BusRuntime:Components:0:Metadata:{key}"] = value,
        };

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => TestSidecar.StartAsync(AppId, settings));

        Assert.Contains(error.Failures, failure => failure.StartsWith(message, StringComparison.Ordinal));
    }

    private static async Task<string> WaitForLogAsync(TestSidecar sidecar, string line)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!sidecar.Log.Tail().Contains(line, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The sidecar did not log '{line}'; it logged:{Environment.NewLine}{sidecar.Log.Tail()}");
            }

            await Task.Delay(20);
        }

        return sidecar.Log.Tail();
    }
}
