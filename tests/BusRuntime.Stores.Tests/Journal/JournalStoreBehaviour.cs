using BusRuntime.Core.Journal;

namespace BusRuntime.Stores.Tests.Journal;

/// <summary>What every journal store does, whatever keeps the entries. Times are fixed in the entries, so no clock is involved.</summary>
public abstract class JournalStoreBehaviour
{
    private static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private IJournalStore? store;

    protected IJournalStore Store => store ??= CreateStore();

    protected abstract IJournalStore CreateStore();

    [Fact]
    public async Task AppendAsync_ThenGetAsync_ReturnsEveryFieldOfEveryEntryOfTheMessageOldestFirst()
    {
        var sent = Entry("m1", "orders", "shop", JournalOutcome.Sent, 0) with
        {
            ConversationId = "c1",
            CorrelationId = "r1",
            DestinationAddress = "exchange:busruntime.topic.pubsub.orders",
            Headers = new Dictionary<string, string> { ["traceparent"] = "00-abc-def-01" },
            Body = "{\"data\":\"e30=\"}",
        };
        var deadLettered = Entry("m1", "orders", "shop", JournalOutcome.DeadLettered, 1) with { Retries = 3, Reason = "the subscriber dropped it" };

        await Store.AppendAsync([sent, Entry("m2", "orders", "shop", JournalOutcome.Sent, 0), deadLettered], CancellationToken.None);
        var history = await Store.GetAsync("m1", CancellationToken.None);

        Assert.Equal(2, history.Count);
        Assert.Equal(sent with { Headers = history[0].Headers }, history[0]);
        Assert.Equal("00-abc-def-01", history[0].Headers["traceparent"]);
        Assert.Equal(deadLettered with { Headers = history[1].Headers }, history[1]);
    }

    [Fact]
    public async Task GetAsync_EntriesWrittenOutOfTimeOrder_ReturnsThemByTime()
    {
        // A consumer's outcome can reach the store in an earlier batch than the send it follows.
        await Store.AppendAsync([Entry("m1", "orders", "shop", JournalOutcome.Delivered, 1)], CancellationToken.None);
        await Store.AppendAsync([Entry("m1", "orders", "shop", JournalOutcome.Sent, 0)], CancellationToken.None);

        var history = await Store.GetAsync("m1", CancellationToken.None);

        Assert.Equal([JournalOutcome.Sent, JournalOutcome.Delivered], history.Select(entry => entry.Outcome));
    }

    [Fact]
    public async Task AppendAsync_BodyOmitted_KeepsItsSize()
    {
        await Store.AppendAsync([Entry("big", "orders", "shop", JournalOutcome.Sent, 0) with { BodyOmittedBytes = 300_000 }], CancellationToken.None);

        var entry = Assert.Single(await Store.GetAsync("big", CancellationToken.None));

        Assert.Equal(300_000, entry.BodyOmittedBytes);
        Assert.Equal("", entry.Body);
    }

    [Fact]
    public async Task GetAsync_UnknownMessage_ReturnsNothing()
    {
        await Store.AppendAsync([Entry("m1", "orders", "shop", JournalOutcome.Sent, 0)], CancellationToken.None);

        Assert.Empty(await Store.GetAsync("unknown", CancellationToken.None));
    }

    [Fact]
    public async Task QueryAsync_Filters_ReturnMatchingEntriesNewestFirstUpToTheLimit()
    {
        await Store.AppendAsync(
            [
                Entry("a", "orders", "shop", JournalOutcome.Sent, 0),
                Entry("b", "orders", "shop", JournalOutcome.DeadLettered, 1),
                Entry("c", "payments", "shop", JournalOutcome.Delivered, 2),
                Entry("d", "orders", "billing", JournalOutcome.Delivered, 3),
                Entry("e", "orders", "shop", JournalOutcome.Delivered, 4),
            ],
            CancellationToken.None);

        Assert.Equal(["e", "d", "b", "a"], await IdsAsync(new JournalQuery("orders", null, null, null, 10)));
        Assert.Equal(["e", "c", "b", "a"], await IdsAsync(new JournalQuery(null, "shop", null, null, 10)));
        Assert.Equal(["b"], await IdsAsync(new JournalQuery(null, null, null, JournalOutcome.DeadLettered, 10)));
        Assert.Equal(["e", "d", "c"], await IdsAsync(new JournalQuery(null, null, Start.AddMinutes(2), null, 10)));
        Assert.Equal(["e", "d"], await IdsAsync(new JournalQuery(null, null, null, null, 2)));
        Assert.Equal(["e"], await IdsAsync(new JournalQuery("orders", "shop", Start.AddMinutes(1), JournalOutcome.Delivered, 10)));
    }

    [Fact]
    public async Task QueryAsync_KindConversationAndBefore_ReturnMatchingEntriesNewestFirst()
    {
        await Store.AppendAsync(
            [
                Entry("a", "orders", "shop", JournalOutcome.Sent, 0) with { ConversationId = "conversation-1" },
                Entry("b", "", "shop", JournalOutcome.Sent, 1) with { Kind = "invoke-request", ConversationId = "conversation-1" },
                Entry("c", "orders", "shop", JournalOutcome.Sent, 2) with { ConversationId = "conversation-2" },
                Entry("d", "", "shop", JournalOutcome.Sent, 3) with { Kind = "invoke-request", ConversationId = "conversation-2" },
            ],
            CancellationToken.None);

        Assert.Equal(["d", "b"], await IdsAsync(new JournalQuery(null, null, null, null, 10) { Kind = "invoke-request" }));
        Assert.Equal(["b", "a"], await IdsAsync(new JournalQuery(null, null, null, null, 10) { ConversationId = "conversation-1" }));
        // The next page after an entry: everything recorded before it.
        Assert.Equal(["b", "a"], await IdsAsync(new JournalQuery(null, null, null, null, 10) { Before = Start.AddMinutes(2) }));
        Assert.Equal(["c"], await IdsAsync(new JournalQuery("orders", null, null, null, 10) { Kind = "topic-event", Before = Start.AddMinutes(3), ConversationId = "conversation-2" }));
    }

    [Fact]
    public async Task QueryAsync_AppId_ReturnsWhatTheAppProducedAndWhatItsQueuesReceived()
    {
        await Store.AppendAsync(
            [
                Entry("a", "orders", "shop", JournalOutcome.Sent, 0) with { DestinationAddress = "rabbitmq://127.0.0.1/busruntime.topic.pubsub.orders" },
                Entry("b", "orders", "shop", JournalOutcome.Delivered, 1) with { DestinationAddress = "rabbitmq://127.0.0.1/busruntime.app.billing.pubsub.orders" },
                Entry("c", "orders", "shop", JournalOutcome.DeadLettered, 2) with { DestinationAddress = "rabbitmq://127.0.0.1/busruntime.app.audit.pubsub.orders?bind=true" },
                Entry("d", "payments", "billing", JournalOutcome.Sent, 3) with { DestinationAddress = "rabbitmq://127.0.0.1/busruntime.topic.pubsub.payments" },
                Entry("e", "orders", "shop", JournalOutcome.Delivered, 4) with { DestinationAddress = "rabbitmq://127.0.0.1/busruntime.app.billing-eu.pubsub.orders" },
                Entry("f", "", "shop", JournalOutcome.Delivered, 5) with { Kind = "invoke-request", SourceAppId = null, DestinationAddress = "loopback://localhost/busruntime.app.billing.invoke" },
                Entry("g", "", "shop", JournalOutcome.Delivered, 6) with { Kind = "configuration-change", DestinationAddress = "rabbitmq://127.0.0.1/busruntime.app.billing.busruntime-config-0f8e4c1d2b3a49c8" },
            ],
            CancellationToken.None);

        Assert.Equal(["f", "d", "b"], await IdsAsync(new JournalQuery(null, null, null, null, 10) { AppId = "billing" }));
        Assert.Equal(["g", "e", "c", "b", "a"], await IdsAsync(new JournalQuery(null, null, null, null, 10) { AppId = "shop" }));
        Assert.Equal(["b"], await IdsAsync(new JournalQuery("orders", "shop", null, JournalOutcome.Delivered, 10) { AppId = "billing" }));
        Assert.Equal(["c"], await IdsAsync(new JournalQuery(null, null, null, null, 10) { AppId = "audit" }));
    }

    [Fact]
    public async Task DeleteBeforeAsync_RemovesOnlyOlderEntriesAndCountsThem()
    {
        await Store.AppendAsync(
            [Entry("a", "orders", "shop", JournalOutcome.Sent, 0), Entry("b", "orders", "shop", JournalOutcome.Sent, 1), Entry("c", "orders", "shop", JournalOutcome.Sent, 2)],
            CancellationToken.None);

        var deleted = await Store.DeleteBeforeAsync(Start.AddMinutes(2), CancellationToken.None);

        Assert.Equal(2, deleted);
        Assert.Equal(["c"], await IdsAsync(new JournalQuery(null, null, null, null, 10)));
    }

    [Fact]
    public async Task DeleteBeforeAsync_MoreThanOneBatch_RemovesThemAll()
    {
        var entries = Enumerable.Range(0, 2_500).Select(i => Entry($"old-{i}", "orders", "shop", JournalOutcome.Sent, 0)).ToList();
        await Store.AppendAsync([.. entries, Entry("new", "orders", "shop", JournalOutcome.Sent, 5)], CancellationToken.None);

        var deleted = await Store.DeleteBeforeAsync(Start.AddMinutes(1), CancellationToken.None);

        Assert.Equal(2_500, deleted);
        Assert.Equal(["new"], await IdsAsync(new JournalQuery(null, null, null, null, 10)));
    }

    protected static JournalEntry Entry(string messageId, string topic, string appId, JournalOutcome outcome, int minute) => new()
    {
        MessageId = messageId,
        Kind = "topic-event",
        Topic = topic,
        SourceAppId = appId,
        RecordedAt = Start.AddMinutes(minute),
        Outcome = outcome,
    };

    protected async Task<string[]> IdsAsync(JournalQuery query) =>
        [.. (await Store.QueryAsync(query, CancellationToken.None)).Select(entry => entry.MessageId)];
}
