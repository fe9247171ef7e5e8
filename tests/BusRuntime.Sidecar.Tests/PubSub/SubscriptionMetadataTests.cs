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
}
