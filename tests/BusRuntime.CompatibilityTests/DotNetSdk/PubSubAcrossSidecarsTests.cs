using System.Text.Json;
using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>The Dapr .NET SDK publishing from one app's sidecar; another app, with its own sidecar on RabbitMQ, receives the event.</summary>
[Collection(BrokerCollection.Name)]
public sealed class PubSubAcrossSidecarsTests(BrokerFixture broker)
{
    [Fact]
    public async Task PublishEvent_SubscriberBehindAnotherSidecar_ReceivesTheEvent()
    {
        var topic = BrokerFixture.UniqueAppId("sdk-orders");
        var subscriberId = BrokerFixture.UniqueAppId("sdk-subscriber");
        try
        {
            await using var subscriber = await DaprCallbackApp.StartAsync(("pubsub", topic));
            await using var subscriberSidecar = await TestSidecar.StartAsync(subscriberId, BrokerFixture.Settings(), subscriber.Port);
            await subscriberSidecar.WaitForSubscriptionsAsync(1);
            var publisherId = BrokerFixture.UniqueAppId("sdk-publisher");
            await using var publisherSidecar = await TestSidecar.StartAsync(publisherId, BrokerFixture.Settings());
            using var dapr = SdkClients.For(publisherSidecar);

            await dapr.PublishEventAsync("pubsub", topic, new Order("o-9", 5));

            await subscriber.WaitForEventsAsync(1, TimeSpan.FromSeconds(60));
            var received = Assert.Single(subscriber.Events);
            Assert.Equal(publisherId, received.Source);
            Assert.Equal(new Order("o-9", 5), JsonSerializer.Deserialize<Order>(received.Data.Span, JsonSerializerOptions.Web));
        }
        finally
        {
            await broker.DeleteSubscriptionEntitiesAsync(subscriberId, "pubsub", topic);
        }
    }

    private sealed record Order(string Id, int Quantity);
}
