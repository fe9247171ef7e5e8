using BusRuntime.Contracts;
using BusRuntime.Core.Subscriptions;
using Microsoft.Extensions.Time.Testing;

namespace BusRuntime.Core.Tests.Subscriptions;

public sealed class TopicEventBatcherTests
{
    private readonly FakeTimeProvider time = new();

    [Fact]
    public async Task DeliverAsync_BatchFills_OneBulkCallAndEachEventGetsItsOwnOutcome()
    {
        var handler = new BulkHandler(id => id switch { "b" => DeliveryOutcome.Drop, "c" => DeliveryOutcome.Retry, _ => DeliveryOutcome.Success });
        var batcher = Batcher(handler, maxMessages: 3);

        var a = batcher.DeliverAsync(Event("a"), CancellationToken.None);
        var b = batcher.DeliverAsync(Event("b"), CancellationToken.None);
        Assert.Empty(handler.Batches);
        var c = batcher.DeliverAsync(Event("c"), CancellationToken.None);

        Assert.Equal([DeliveryOutcome.Success, DeliveryOutcome.Drop, DeliveryOutcome.Retry], await Task.WhenAll(a, b, c).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(["a", "b", "c"], Assert.Single(handler.Batches).Select(delivered => delivered.Id));
    }

    [Fact]
    public async Task DeliverAsync_FewerEventsThanTheBatch_SentWhenTheWaitEnds()
    {
        var handler = new BulkHandler(_ => DeliveryOutcome.Success);
        var batcher = Batcher(handler, maxMessages: 10, maxAwaitMs: 500);

        var a = batcher.DeliverAsync(Event("a"), CancellationToken.None);
        var b = batcher.DeliverAsync(Event("b"), CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Empty(handler.Batches);
        time.Advance(TimeSpan.FromMilliseconds(1));

        await Task.WhenAll(a, b).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["a", "b"], Assert.Single(handler.Batches).Select(delivered => delivered.Id));
    }

    [Fact]
    public async Task DeliverAsync_TwoRoutes_SeparateBatches()
    {
        var handler = new BulkHandler(_ => DeliveryOutcome.Success);
        var batcher = Batcher(handler, maxMessages: 2);

        var deliveries = new[]
        {
            batcher.DeliverAsync(Event("a", "/x"), CancellationToken.None),
            batcher.DeliverAsync(Event("b", "/y"), CancellationToken.None),
            batcher.DeliverAsync(Event("c", "/x"), CancellationToken.None),
            batcher.DeliverAsync(Event("d", "/y"), CancellationToken.None),
        };

        await Task.WhenAll(deliveries).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, handler.Batches.Count);
        Assert.All(handler.Batches, batch => Assert.Single(batch.Select(delivered => delivered.Path).Distinct()));
    }

    [Fact]
    public async Task DeliverAsync_DeliveryEndedBeforeTheBatchWentOut_LeftOutOfIt()
    {
        var handler = new BulkHandler(_ => DeliveryOutcome.Success);
        var batcher = Batcher(handler, maxMessages: 2);
        using var ended = new CancellationTokenSource();

        var gone = batcher.DeliverAsync(Event("a"), ended.Token);
        await ended.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone);
        await batcher.DeliverAsync(Event("b"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["b"], Assert.Single(handler.Batches).Select(delivered => delivered.Id));
    }

    [Fact]
    public async Task DeliverAsync_HandlerFails_EveryDeliveryOfTheBatchFails()
    {
        var handler = new BulkHandler(_ => throw new InvalidOperationException("app down"));
        var batcher = Batcher(handler, maxMessages: 2);

        var a = batcher.DeliverAsync(Event("a"), CancellationToken.None);
        var b = batcher.DeliverAsync(Event("b"), CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => a);
        await Assert.ThrowsAsync<InvalidOperationException>(() => b);
    }

    private TopicEventBatcher Batcher(BulkHandler handler, int maxMessages, int maxAwaitMs = 60_000) =>
        new(handler, new BulkSubscribeSettings(true, maxMessages, maxAwaitMs), TimeSpan.FromSeconds(30), time, CancellationToken.None);

    private static DeliveredTopicEvent Event(string id, string path = "") =>
        new(id, new TopicEvent { PubsubName = "pubsub", Topic = "orders", Source = "shop" }) { Path = path };

    private sealed class BulkHandler(Func<string, DeliveryOutcome> answer) : IBulkTopicEventHandler
    {
        public System.Collections.Concurrent.ConcurrentQueue<IReadOnlyList<DeliveredTopicEvent>> Batches { get; } = new();

        public Task<DeliveryOutcome> HandleAsync(DeliveredTopicEvent topicEvent, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a bulk subscription delivers in batches");

        public Task<IReadOnlyList<DeliveryOutcome>> HandleBulkAsync(IReadOnlyList<DeliveredTopicEvent> events, CancellationToken cancellationToken)
        {
            Batches.Enqueue(events);
            return Task.FromResult<IReadOnlyList<DeliveryOutcome>>([.. events.Select(delivered => answer(delivered.Id))]);
        }
    }
}
