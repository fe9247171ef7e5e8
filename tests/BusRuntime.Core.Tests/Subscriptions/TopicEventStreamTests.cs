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
        var written = await FirstWrittenAsync(stream);

        Assert.Equal("a", written.Id);
        Assert.False(delivery.IsCompleted);
        Assert.True(stream.Acknowledge("a", DeliveryOutcome.Drop));
        Assert.Equal(DeliveryOutcome.Drop, await delivery);
    }

    [Fact]
    public async Task ReadAllAsync_DeliveryTimedOutBeforeItWasWritten_IsNeverWritten()
    {
        var stream = new TopicEventStream();
        using var timeout = new CancellationTokenSource();
        var stale = stream.HandleAsync(Event("stale"), timeout.Token);
        await timeout.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stale);

        var fresh = stream.HandleAsync(Event("fresh"), CancellationToken.None);

        Assert.Equal("fresh", (await FirstWrittenAsync(stream)).Id);
        stream.Acknowledge("fresh", DeliveryOutcome.Success);
        Assert.Equal(DeliveryOutcome.Success, await fresh);
    }

    [Fact]
    public async Task ReadAllAsync_AfterClose_WritesNothingThatWasWaiting()
    {
        var stream = new TopicEventStream();
        var waiting = stream.HandleAsync(Event("a"), CancellationToken.None);

        stream.Close();

        await Assert.ThrowsAsync<SubscriberGoneException>(() => waiting);
        await foreach (var written in stream.ReadAllAsync(CancellationToken.None))
        {
            Assert.Fail($"event {written.Id} was written after the stream closed");
        }
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

    private static async Task<DeliveredTopicEvent> FirstWrittenAsync(TopicEventStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var written in stream.ReadAllAsync(timeout.Token))
        {
            return written;
        }

        throw new InvalidOperationException("the stream ended without writing anything");
    }
}
