using System.Text.Json;
using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Dapr;
using Grpc.Core;

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>The Dapr .NET SDK publishing; an app built on Dapr's generated AppCallback base (the one contract Dapr's SDKs serve) receives the events.</summary>
public sealed class PubSubTests
{
    [Fact]
    public async Task PublishEvent_Object_SubscriberAppReceivesItsJson()
    {
        await using var subscriber = await DaprCallbackApp.StartAsync(("pubsub", "orders"));
        await using var sidecar = await TestSidecar.StartAsync("sdk-shop", appPort: subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);
        using var dapr = SdkClients.For(sidecar);

        await dapr.PublishEventAsync("pubsub", "orders", new Order("o-7", 3), new Dictionary<string, string> { ["tenant"] = "acme" });

        await subscriber.WaitForEventsAsync(1, TimeSpan.FromSeconds(30));
        var received = Assert.Single(subscriber.Events);
        Assert.Equal("orders", received.Topic);
        Assert.Equal("pubsub", received.PubsubName);
        Assert.Equal("sdk-shop", received.Source);
        Assert.Equal("application/json", received.DataContentType);
        Assert.Equal(new Order("o-7", 3), JsonSerializer.Deserialize<Order>(received.Data.Span, JsonSerializerOptions.Web));
        Assert.Equal("acme", received.Extensions.Fields["tenant"].StringValue);
    }

    [Fact]
    public async Task BulkPublishEvent_ThreeEvents_AllReceivedAndNoneFailed()
    {
        await using var subscriber = await DaprCallbackApp.StartAsync(("pubsub", "bulk"));
        await using var sidecar = await TestSidecar.StartAsync("sdk-bulk", appPort: subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);
        using var dapr = SdkClients.For(sidecar);

        var response = await dapr.BulkPublishEventAsync("pubsub", "bulk", [new Order("a", 1), new Order("b", 2), new Order("c", 3)]);

        Assert.Empty(response.FailedEntries);
        await subscriber.WaitForEventsAsync(3, TimeSpan.FromSeconds(30));
        var ids = subscriber.Events.Select(received => JsonSerializer.Deserialize<Order>(received.Data.Span, JsonSerializerOptions.Web)!.Id).Order(StringComparer.Ordinal);
        Assert.Equal(["a", "b", "c"], ids);
    }

    [Fact]
    public async Task PublishEvent_UnknownPubSub_DaprExceptionNamingIt()
    {
        await using var sidecar = await TestSidecar.StartAsync("sdk-nopubsub");
        using var dapr = SdkClients.For(sidecar);

        var error = await Assert.ThrowsAsync<DaprException>(() => dapr.PublishEventAsync("kafka", "orders", new Order("x", 1)));

        var rpc = Assert.IsType<RpcException>(error.InnerException);
        Assert.Equal(StatusCode.InvalidArgument, rpc.StatusCode);
        Assert.Contains("kafka", rpc.Status.Detail, StringComparison.Ordinal);
    }

    private sealed record Order(string Id, int Quantity);
}
