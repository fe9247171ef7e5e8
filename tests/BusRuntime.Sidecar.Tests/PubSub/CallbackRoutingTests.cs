using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using PublishEventRequest = BusRuntime.Protos.V1.PublishEventRequest;

namespace BusRuntime.Sidecar.Tests.PubSub;

public sealed class CallbackRoutingTests
{
    [Fact]
    public async Task OnTopicEvent_SubscriptionWithRoutes_PathIsTheFirstMatchingRuleElseTheDefault()
    {
        await using var subscriber = await SubscriberApp.ListingAsync(new TopicSubscription
        {
            PubsubName = "pubsub",
            Topic = "orders",
            Routes = new TopicRoutes
            {
                Rules =
                {
                    new TopicRule { Match = """event.type == "order.cancelled" """, Path = "cancelled" },
                    new TopicRule { Match = "event.data.amount > 100", Path = "large" },
                },
                Default = "other",
            },
        });
        await using var sidecar = await TestSidecar.StartAsync("shop", appPort: subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        var cancelled = await PublishAsync(sidecar, """{"amount":500}""", "order.cancelled");
        var large = await PublishAsync(sidecar, """{"amount":500}""", "order.created");
        var small = await PublishAsync(sidecar, """{"amount":5}""", "order.created");

        await subscriber.WaitForAsync(3, TimeSpan.FromSeconds(10));
        var paths = subscriber.Received.ToDictionary(received => received.Id, received => received.Path);
        Assert.Equal("cancelled", paths[cancelled]);
        Assert.Equal("large", paths[large]);
        Assert.Equal("other", paths[small]);
    }

    [Fact]
    public async Task OnTopicEvent_PublishedThroughDaprsApisWithoutAType_RulesMatchAndAppGetsComDaprEventSent()
    {
        await using var subscriber = await SubscriberApp.ListingAsync(new TopicSubscription
        {
            PubsubName = "pubsub",
            Topic = "orders",
            Routes = new TopicRoutes
            {
                Rules = { new TopicRule { Match = """event.type == "com.dapr.event.sent" """, Path = "dapr" } },
                Default = "other",
            },
        });
        await using var sidecar = await TestSidecar.StartAsync("shop", appPort: subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        using (var published = await sidecar.Http.PostAsync(new Uri("/v1.0/publish/pubsub/orders", UriKind.Relative), new StringContent("{}", System.Text.Encoding.UTF8, "application/json")))
        {
            published.EnsureSuccessStatusCode();
        }

        var (channel, dapr) = Dapr.DaprSidecar.ClientFor(sidecar);
        using (channel)
        {
            await dapr.PublishEventAsync(new Protos.Dapr.Runtime.V1.PublishEventRequest { PubsubName = "pubsub", Topic = "orders", Data = ByteString.CopyFromUtf8("{}") });
        }

        var own = await PublishAsync(sidecar, "{}", "");

        await subscriber.WaitForAsync(3, TimeSpan.FromSeconds(10));
        var byDapr = subscriber.Received.Where(received => received.Id != own).ToList();
        Assert.Equal(2, byDapr.Count);
        Assert.All(byDapr, received => Assert.Equal(("com.dapr.event.sent", "dapr"), (received.Type, received.Path)));
        var ownEvent = Assert.Single(subscriber.Received, received => received.Id == own);
        Assert.Equal(("com.busruntime.event", "other"), (ownEvent.Type, ownEvent.Path));
    }

    [Fact]
    public async Task OnTopicEvent_NoRuleMatchesAndNoDefault_EventIsNotDeliveredAndNotRetried()
    {
        await using var subscriber = await SubscriberApp.ListingAsync(new TopicSubscription
        {
            PubsubName = "pubsub",
            Topic = "orders",
            Routes = new TopicRoutes { Rules = { new TopicRule { Match = """event.data.kind == "wanted" """, Path = "wanted" } } },
        });
        await using var sidecar = await TestSidecar.StartAsync("shop", appPort: subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        await PublishAsync(sidecar, """{"kind":"unwanted"}""", "t");
        var wanted = await PublishAsync(sidecar, """{"kind":"wanted"}""", "t");

        await subscriber.WaitForAsync(1, TimeSpan.FromSeconds(10));
        await Task.Delay(300);
        var received = Assert.Single(subscriber.Received);
        Assert.Equal(wanted, received.Id);
        Assert.Equal("wanted", received.Path);
    }

    [Fact]
    public async Task OnTopicEvent_NoRoutes_PathIsEmpty()
    {
        await using var subscriber = await SubscriberApp.StartAsync(("pubsub", "orders"));
        await using var sidecar = await TestSidecar.StartAsync("shop", appPort: subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        await PublishAsync(sidecar, "{}", "t");

        await subscriber.WaitForAsync(1, TimeSpan.FromSeconds(10));
        Assert.Equal("", Assert.Single(subscriber.Received).Path);
    }

    [Fact]
    public async Task ListTopicSubscriptions_BadMatchExpression_ThatSubscriptionAloneIsRejected()
    {
        await using var subscriber = await SubscriberApp.ListingAsync(
            new TopicSubscription
            {
                PubsubName = "pubsub",
                Topic = "broken",
                Routes = new TopicRoutes { Rules = { new TopicRule { Match = "event.type ==", Path = "x" } } },
            },
            new TopicSubscription { PubsubName = "pubsub", Topic = "orders" });
        await using var sidecar = await TestSidecar.StartAsync("shop", appPort: subscriber.Port);

        await sidecar.WaitForSubscriptionsAsync(1);
        await PublishAsync(sidecar, "{}", "t");
        await subscriber.WaitForAsync(1, TimeSpan.FromSeconds(10));

        Assert.Equal("orders", Assert.Single(subscriber.Received).Topic);
    }

    private static async Task<string> PublishAsync(TestSidecar sidecar, string json, string type)
    {
        var response = await sidecar.Runtime.PublishEventAsync(new PublishEventRequest
        {
            PubsubName = "pubsub",
            Topic = "orders",
            Data = ByteString.CopyFromUtf8(json),
            DataContentType = "application/json",
            Metadata = { ["cloudevent.type"] = type },
        });
        return response.MessageId;
    }
}
