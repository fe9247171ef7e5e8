using System.Text.Json;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;

namespace BusRuntime.CompatibilityTests.NodeSdk;

public sealed class NodePublishTests
{
    [Fact]
    public async Task NodeSdk_PublishAndPublishBulk_OverHttp_ReachASubscriberWithTheirDataAndMetadata()
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
        var events = new List<Protos.Dapr.Runtime.V1.TopicEventRequest>();
        while (events.Count < 3)
        {
            Assert.True(await subscription.ResponseStream.MoveNext(received.Token));
            var message = subscription.ResponseStream.Current.EventMessage;
            events.Add(message);
            await subscription.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { EventProcessed = new SubscribeTopicEventsRequestProcessed { Id = message.Id } });
        }

        var line = Assert.Single(result.JsonLines());
        Assert.True(line.GetProperty("published").GetBoolean());
        Assert.Equal(0, line.GetProperty("bulkFailed").GetInt32());
        var single = Assert.Single(events, message => message.Extensions?.Fields.ContainsKey("priority") == true);
        using var data = JsonDocument.Parse(single.Data.ToStringUtf8());
        Assert.Equal(42, data.RootElement.GetProperty("orderId").GetInt32());
        Assert.Equal("node", data.RootElement.GetProperty("from").GetString());
        Assert.StartsWith("application/json", single.DataContentType, StringComparison.Ordinal);
        Assert.Equal("node-publish", single.Source);
        Assert.Equal("high", single.Extensions.Fields["priority"].StringValue);
        Assert.Contains(events, message => message.DataContentType == "application/json" && message.Data.ToStringUtf8() == "{\"orderId\":43}");
        Assert.Contains(events, message => message.DataContentType == "text/plain" && message.Data.ToStringUtf8() == "plain text");
        await subscription.RequestStream.CompleteAsync();
    }
}
