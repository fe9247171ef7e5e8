using System.Text.Json;
using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Sidecar.Tests.Dapr;
using BusRuntime.Testing;
using static BusRuntime.Sidecar.Tests.Http.DaprHttp;

namespace BusRuntime.Sidecar.Tests.PubSub;

public sealed class SubscriptionMetadataTests
{
    [Fact]
    public async Task Metadata_AppSubscriptionWithRulesAndDeadLetterTopic_ListedAsDaprListsThemOnHttpAndGrpc()
    {
        await using var subscriber = await SubscriberApp.ListingAsync(new TopicSubscription
        {
            PubsubName = "pubsub",
            Topic = "orders",
            DeadLetterTopic = "orders-poison",
            Routes = new TopicRoutes
            {
                Rules = { new TopicRule { Match = """event.type == "big" """, Path = "big" } },
                Default = "rest",
            },
        });
        await using var sidecar = await TestSidecar.StartAsync("shop", appPort: subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        using var body = JsonDocument.Parse(await sidecar.Http.GetStringAsync(Path("/v1.0/metadata")));
        var (channel, client) = DaprSidecar.ClientFor(sidecar);
        GetMetadataResponse grpc;
        using (channel)
        {
            grpc = await client.GetMetadataAsync(new GetMetadataRequest());
        }

        var http = Assert.Single(body.RootElement.GetProperty("subscriptions").EnumerateArray());
        Assert.Equal("orders-poison", http.GetProperty("deadLetterTopic").GetString());
        var rules = http.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(2, rules.Count);
        Assert.Equal(("""event.type == "big" """, "big"), (rules[0].GetProperty("match").GetString(), rules[0].GetProperty("path").GetString()));
        Assert.False(rules[1].TryGetProperty("match", out _));
        Assert.Equal("rest", rules[1].GetProperty("path").GetString());
        var listed = Assert.Single(grpc.Subscriptions);
        Assert.Equal("orders-poison", listed.DeadLetterTopic);
        Assert.Equal(
            [("""event.type == "big" """, "big"), ("", "rest")],
            listed.Rules.Rules.Select(rule => (rule.Match, rule.Path)));
    }

    [Fact]
    public async Task Metadata_TwoSubscriptionsOfOneTopic_EachListedWithItsOwnRulesAndDeadLetterTopicOnHttpAndGrpc()
    {
        await using var subscriber = await SubscriberApp.ListingAsync(new TopicSubscription
        {
            PubsubName = "pubsub",
            Topic = "orders",
            DeadLetterTopic = "orders-poison",
            Routes = new TopicRoutes { Rules = { new TopicRule { Match = """event.type == "big" """, Path = "big" } } },
        });
        await using var sidecar = await TestSidecar.StartAsync("shop", appPort: subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);
        var (channel, client) = DaprSidecar.ClientFor(sidecar);
        using (channel)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var stream = client.SubscribeTopicEventsAlpha1(cancellationToken: timeout.Token);
            await stream.RequestStream.WriteAsync(new SubscribeTopicEventsRequestAlpha1
            {
                InitialRequest = new SubscribeTopicEventsRequestInitialAlpha1 { PubsubName = "pubsub", Topic = "orders", DeadLetterTopic = "orders-stream-dead" },
            });
            Assert.True(await stream.ResponseStream.MoveNext(timeout.Token));

            using var body = JsonDocument.Parse(await sidecar.Http.GetStringAsync(Path("/v1.0/metadata")));
            var grpc = await client.GetMetadataAsync(new GetMetadataRequest());

            var http = body.RootElement.GetProperty("subscriptions").EnumerateArray()
                .ToDictionary(subscription => subscription.GetProperty("deadLetterTopic").GetString()!);
            Assert.Equal(["orders-poison", "orders-stream-dead"], http.Keys.Order(StringComparer.Ordinal));
            Assert.All(http.Values, subscription => Assert.Equal("orders", subscription.GetProperty("topic").GetString()));
            var appRule = Assert.Single(http["orders-poison"].GetProperty("rules").EnumerateArray());
            Assert.Equal("big", appRule.GetProperty("path").GetString());
            Assert.DoesNotContain(http["orders-stream-dead"].GetProperty("rules").EnumerateArray(), rule => rule.TryGetProperty("match", out _));
            var listed = grpc.Subscriptions.ToDictionary(subscription => subscription.DeadLetterTopic);
            Assert.Equal(["orders-poison", "orders-stream-dead"], listed.Keys.Order(StringComparer.Ordinal));
            Assert.Equal([("""event.type == "big" """, "big")], listed["orders-poison"].Rules.Rules.Select(rule => (rule.Match, rule.Path)));
            Assert.DoesNotContain(listed["orders-stream-dead"].Rules.Rules, rule => rule.Path == "big");
            await stream.RequestStream.CompleteAsync();
        }
    }
}
