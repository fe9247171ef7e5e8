using System.Text.Json;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;

namespace BusRuntime.CompatibilityTests.NodeSdk;

public sealed class NodePublishTests
{
    [Fact]
    public async Task NodeSdk_Publish_OverHttp_ReachesASubscriberWithItsJsonAndMetadata()
    {
        await using var sidecar = await TestSidecar.StartAsync("node-publish");
        var topic = $"node-orders-{Guid.NewGuid():N}";
        using var subscription = sidecar.Runtime.SubscribeTopicEvents();
        await subscription.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = topic } });
        Assert.True(await subscription.ResponseStream.MoveNext(CancellationToken.None));

        var result = (await NodeScripts.RunAsync("publish.mjs", new Dictionary<string, string>
        {
            ["DAPR_HTTP_PORT"] = sidecar.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TOPIC"] = topic,
        })).AssertSucceeded();
        using var received = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.True(await subscription.ResponseStream.MoveNext(received.Token));
        var delivered = subscription.ResponseStream.Current.EventMessage;

        Assert.True(Assert.Single(result.JsonLines()).GetProperty("published").GetBoolean());
        using var data = JsonDocument.Parse(delivered.Data.ToStringUtf8());
        Assert.Equal(42, data.RootElement.GetProperty("orderId").GetInt32());
        Assert.Equal("node", data.RootElement.GetProperty("from").GetString());
        Assert.StartsWith("application/json", delivered.DataContentType, StringComparison.Ordinal);
        Assert.Equal("node-publish", delivered.Source);
        Assert.Equal("high", delivered.Extensions.Fields["priority"].StringValue);
        await subscription.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { EventProcessed = new SubscribeTopicEventsRequestProcessed { Id = delivered.Id } });
        await subscription.RequestStream.CompleteAsync();
    }
}
