using System.Net.Mime;
using BusRuntime.Contracts;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Journal;
using BusRuntime.Core.PubSub;
using BusRuntime.Core.Subscriptions;
using BusRuntime.Core.Tests.Subscriptions;
using MassTransit;
using MassTransit.Context;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

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

    [Fact]
    public async Task Receive_TypeNothingOnTheEndpointConsumes_JournalsDroppedWithCredentialsRedacted()
    {
        await using var core = await CoreHarness.StartAsync();
        await using var registration = await core.Get<TopicSubscriptions>().AddAsync("pubsub", "orders", new RecordingHandler(), CancellationToken.None);
        var message = new Misrouted("hello", new Dictionary<string, string> { ["api-token"] = "t0ken", ["x-tenant"] = "acme" });

        await SendToSubscriptionAsync(core, message, context => context.Headers.Set("authorization", "Bearer s3cret"));
        var dropped = await OneAsync(core, JournalOutcome.Dropped);

        Assert.Equal("nothing on this endpoint consumes its message type", dropped.Reason);
        Assert.Contains(TopicNames.Queue("orders", "pubsub", "orders"), dropped.DestinationAddress, StringComparison.Ordinal);
        Assert.DoesNotContain(dropped.Headers, header => header.Value.Contains("s3cret", StringComparison.Ordinal));
        Assert.Contains("\"hello\"", dropped.Body, StringComparison.Ordinal);
        Assert.Contains("acme", dropped.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", dropped.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("t0ken", dropped.Body, StringComparison.Ordinal);
        Assert.Contains("\"***\"", dropped.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_DroppedMessageOverMaxBodyBytes_JournalsItsSizeWithoutItsBody()
    {
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?> { ["BusRuntime:Journal:MaxBodyBytes"] = "1024" });
        await using var registration = await core.Get<TopicSubscriptions>().AddAsync("pubsub", "orders", new RecordingHandler(), CancellationToken.None);

        await SendToSubscriptionAsync(core, new Misrouted(new string('x', 5_000), []), _ => { });
        var dropped = await OneAsync(core, JournalOutcome.Dropped);

        Assert.Equal("", dropped.Body);
        Assert.True(dropped.BodyOmittedBytes > 5_000, $"body_omitted_bytes is {dropped.BodyOmittedBytes}");
    }

    [Fact]
    public async Task Receive_BodyThatIsNotAnEnvelope_JournalsFaultedWithTheReasonAndCredentialsRedacted()
    {
        await using var core = await CoreHarness.StartAsync();
        var handler = new RecordingHandler();
        await using var registration = await core.Get<TopicSubscriptions>().AddAsync("pubsub", "orders", handler, CancellationToken.None);

        await SendToSubscriptionAsync(core, new Misrouted("ignored", []), context =>
        {
            context.Serializer = new BrokenSerializer();
            context.Headers.Set("x-auth-token", "t0ken");
        });
        var faulted = await OneAsync(core, JournalOutcome.Faulted);

        Assert.False(string.IsNullOrEmpty(faulted.Reason));
        Assert.Equal(BrokenSerializer.Body, faulted.Body);
        Assert.Equal("***", faulted.Headers["x-auth-token"]);
        Assert.Empty(handler.Received);
    }

    [Fact]
    public async Task PostSend_ConfirmedLaterThanTheSendBegan_IsStampedWithTheTimeTheSendBegan()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 18, 0, 0, TimeSpan.Zero));
        using var meters = new DroppedEntries();
        var journal = new MessageJournal(Options.Create(new JournalOptions()), meters.Metrics, NullLogger<MessageJournal>.Instance);
        var observer = new JournalObserver(journal, clock, Options.Create(new JournalOptions()), Options.Create(new RuntimeOptions { AppId = "orders" }));
        var context = new MessageSendContext<TopicEvent>(new TopicEvent { PubsubName = "pubsub", Topic = "orders", Source = "orders" }, CancellationToken.None);
        var began = clock.GetUtcNow();

        await observer.PreSend(context);
        clock.Advance(TimeSpan.FromSeconds(2));
        await observer.PostSend(context);
        var sent = Assert.Single(await journal.TakeAsync(10, TimeSpan.Zero, TimeProvider.System, CancellationToken.None));

        Assert.Equal(JournalOutcome.Sent, sent.Outcome);
        Assert.Equal(began, sent.RecordedAt);
    }

    [Fact]
    public async Task Publish_ClockMovesWhileItIsSent_SentIsStampedWhenThePublishBeganBeforeItsDelivery()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 18, 0, 0, TimeSpan.Zero));
        var began = clock.GetUtcNow();
        await using var core = await CoreHarness.StartAsync(timeProvider: clock, services: services => services.AddSendObserver(_ => new ClockMover(clock)));
        await using var registration = await core.Get<TopicSubscriptions>().AddAsync("pubsub", "orders", new RecordingHandler(), CancellationToken.None);

        var id = await PublishAsync(core, "orders");
        var history = await HistoryAsync(core, id, entries => entries.Any(entry => entry.Outcome == JournalOutcome.Delivered) && entries.Any(entry => entry.Outcome == JournalOutcome.Sent));

        Assert.Equal(began, history.Single(entry => entry.Outcome == JournalOutcome.Sent).RecordedAt);
        Assert.Equal([JournalOutcome.Sent, JournalOutcome.Delivered], history.Select(entry => entry.Outcome));
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

    private static async Task SendToSubscriptionAsync(CoreHarness core, Misrouted message, Action<SendContext<Misrouted>> configure)
    {
        var endpoint = await core.Harness.Bus.GetSendEndpoint(new Uri($"queue:{TopicNames.Queue("orders", "pubsub", "orders")}"));
        await endpoint.Send(message, configure, CancellationToken.None);
    }

    private static async Task<JournalEntry> OneAsync(CoreHarness core, JournalOutcome outcome)
    {
        var store = core.Get<IJournalStore>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var found = await store.QueryAsync(new JournalQuery(null, null, null, outcome, 10), CancellationToken.None);
            if (found.Count > 0)
            {
                return Assert.Single(found);
            }

            Assert.True(DateTime.UtcNow < deadline, $"the journal has no {outcome} entry");
            await Task.Delay(10);
        }
    }

    /// <summary>A message type no BusRuntime endpoint consumes.</summary>
    private sealed record Misrouted(string Note, Dictionary<string, string> Metadata);

    /// <summary>Writes a body that claims to be MassTransit's envelope and is not JSON at all.</summary>
    private sealed class BrokenSerializer : IMessageSerializer
    {
        public const string Body = "not an envelope: password=hunter2";

        public ContentType ContentType { get; } = new("application/vnd.masstransit+json");

        public MessageBody GetMessageBody<T>(SendContext<T> context) where T : class => new StringMessageBody(Body);
    }

    /// <summary>Moves the clock a second on as a send begins (after the journal's observer), as a slow broker confirm would.</summary>
    private sealed class ClockMover(FakeTimeProvider clock) : ISendObserver
    {
        public Task PreSend<T>(SendContext<T> context) where T : class
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            return Task.CompletedTask;
        }

        public Task PostSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;

        public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }

    private sealed class AnswersInTurn(params DeliveryOutcome[] answers) : ITopicEventHandler
    {
        private int calls;

        public Task<DeliveryOutcome> HandleAsync(DeliveredTopicEvent topicEvent, CancellationToken cancellationToken) =>
            Task.FromResult(answers[Math.Min(Interlocked.Increment(ref calls) - 1, answers.Length - 1)]);
    }
}
