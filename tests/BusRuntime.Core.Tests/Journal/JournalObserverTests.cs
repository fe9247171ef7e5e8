using BusRuntime.Contracts;
using BusRuntime.Core.Journal;
using BusRuntime.Core.PubSub;
using BusRuntime.Core.Subscriptions;
using BusRuntime.Core.Tests.Subscriptions;

namespace BusRuntime.Core.Tests.Journal;

public sealed class JournalObserverTests
{
    private static readonly Dictionary<string, string> NoMetadata = [];

    [Fact]
    public async Task Publish_DeliveredAfterOneRetry_JournalsSentAndDeliveredWithOneRetry()
    {
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?> { ["BusRuntime:PubSub:RetryLimit"] = "3" });
        var handler = new AnswersInTurn(DeliveryOutcome.Retry, DeliveryOutcome.Success);
        await using var registration = await core.Get<TopicSubscriptions>().AddAsync("pubsub", "orders", handler, CancellationToken.None);

        var id = await PublishAsync(core, "orders");
        var history = await HistoryAsync(core, id, entries => entries.Any(entry => entry.Outcome == JournalOutcome.Delivered) && entries.Any(entry => entry.Outcome == JournalOutcome.Sent));

        var sent = history.Single(entry => entry.Outcome == JournalOutcome.Sent);
        var delivered = history.Single(entry => entry.Outcome == JournalOutcome.Delivered);
        Assert.Equal(("topic-event", "orders", "orders"), (sent.Kind, sent.Topic, sent.SourceAppId));
        Assert.Contains("busruntime.topic.pubsub.orders", sent.DestinationAddress, StringComparison.Ordinal);
        Assert.Contains("\"topic\":\"orders\"", sent.Body, StringComparison.Ordinal);
        Assert.Equal(1, delivered.Retries);
        Assert.Contains(TopicNames.Queue("orders", "pubsub", "orders"), delivered.DestinationAddress, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_SubscriberAlwaysRetries_JournalsDeadLetteredAfterTheRetryLimit()
    {
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?> { ["BusRuntime:PubSub:RetryLimit"] = "2" });
        await using var registration = await core.Get<TopicSubscriptions>().AddAsync("pubsub", "orders", new RecordingHandler(DeliveryOutcome.Retry), CancellationToken.None);

        var id = await PublishAsync(core, "orders");
        var history = await HistoryAsync(core, id, entries => entries.Any(entry => entry.Outcome == JournalOutcome.DeadLettered));

        var deadLettered = history.Single(entry => entry.Outcome == JournalOutcome.DeadLettered);
        Assert.Equal(2, deadLettered.Retries);
        Assert.Contains("asked to retry", deadLettered.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(history, entry => entry.Outcome == JournalOutcome.Delivered);
    }

    [Fact]
    public async Task Publish_SubscriberDrops_JournalsDeadLetteredSayingTheSubscriberDroppedIt()
    {
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?> { ["BusRuntime:PubSub:RetryLimit"] = "3" });
        await using var registration = await core.Get<TopicSubscriptions>().AddAsync("pubsub", "orders", new RecordingHandler(DeliveryOutcome.Drop), CancellationToken.None);

        var id = await PublishAsync(core, "orders");
        var history = await HistoryAsync(core, id, entries => entries.Any(entry => entry.Outcome == JournalOutcome.DeadLettered));

        var deadLettered = history.Single(entry => entry.Outcome == JournalOutcome.DeadLettered);
        Assert.Equal(0, deadLettered.Retries);
        Assert.StartsWith("the subscriber dropped it", deadLettered.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_JournalDisabled_RecordsNothing()
    {
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?> { ["BusRuntime:Journal:Enabled"] = "false" });

        await PublishAsync(core, "orders");
        await core.Harness.InactivityTask;

        Assert.Empty(await core.Get<IJournalStore>().QueryAsync(new JournalQuery(null, null, null, null, 10), CancellationToken.None));
    }

    private static Task<string> PublishAsync(CoreHarness core, string topic) =>
        core.Get<TopicPublisher>().PublishAsync(new PublishRequest("pubsub", topic, new byte[] { 7 }, "", NoMetadata), CancellationToken.None);

    private static async Task<IReadOnlyList<JournalEntry>> HistoryAsync(CoreHarness core, string messageId, Func<IReadOnlyList<JournalEntry>, bool> done)
    {
        var store = core.Get<IJournalStore>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var history = await store.GetAsync(messageId, CancellationToken.None);
            if (done(history))
            {
                return history;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the journal holds {history.Count} entries of {messageId}: {string.Join(", ", history.Select(entry => entry.Outcome))}");
            await Task.Delay(10);
        }
    }

    private sealed class AnswersInTurn(params DeliveryOutcome[] answers) : ITopicEventHandler
    {
        private int calls;

        public Task<DeliveryOutcome> HandleAsync(DeliveredTopicEvent topicEvent, CancellationToken cancellationToken) =>
            Task.FromResult(answers[Math.Min(Interlocked.Increment(ref calls) - 1, answers.Length - 1)]);
    }
}
