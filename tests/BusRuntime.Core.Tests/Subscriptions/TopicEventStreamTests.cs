using BusRuntime.Contracts;
using BusRuntime.Core.Subscriptions;

namespace BusRuntime.Core.Tests.Subscriptions;

public sealed class TopicEventStreamTests
{
    private static DeliveredTopicEvent Event(string id) =>
        new(id, new TopicEvent { PubsubName = "pubsub", Topic = "orders", Source = "shop" });

    [Fact]
    public async Task HandleAsync_AppAcknowledgesById_ReturnsTheAppsAnswer()
    {
        var stream = new TopicEventStream();

        var delivery = stream.HandleAsync(Event("a"), CancellationToken.None);
        var written = await stream.Outgoing.ReadAsync();

        Assert.Equal("a", written.Id);
        Assert.False(delivery.IsCompleted);
        Assert.True(stream.Acknowledge("a", DeliveryOutcome.Drop));
        Assert.Equal(DeliveryOutcome.Drop, await delivery);
    }

    [Fact]
    public void Acknowledge_UnknownId_ReturnsFalse()
    {
        var stream = new TopicEventStream();

        Assert.False(stream.Acknowledge("never-sent", DeliveryOutcome.Success));
    }

    [Fact]
    public async Task Close_DeliveryStillWaiting_FailsWithSubscriberGone()
    {
        var stream = new TopicEventStream();
        var delivery = stream.HandleAsync(Event("a"), CancellationToken.None);

        stream.Close();

        await Assert.ThrowsAsync<SubscriberGoneException>(() => delivery);
    }

    [Fact]
    public async Task HandleAsync_AfterClose_FailsWithSubscriberGone()
    {
        var stream = new TopicEventStream();
        stream.Close();

        await Assert.ThrowsAsync<SubscriberGoneException>(() => stream.HandleAsync(Event("a"), CancellationToken.None));
    }
}
