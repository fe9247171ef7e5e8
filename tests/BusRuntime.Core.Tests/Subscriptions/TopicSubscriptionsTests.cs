using BusRuntime.Contracts;
using BusRuntime.Core.Errors;
using BusRuntime.Core.PubSub;
using BusRuntime.Core.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Time.Testing;

namespace BusRuntime.Core.Tests.Subscriptions;

public sealed class TopicSubscriptionsTests
{
    private static readonly Dictionary<string, string> NoMetadata = [];

    [Fact]
    public async Task AddAsync_EventPublished_HandlerGetsItUnderItsMessageId()
    {
        await using var core = await CoreHarness.StartAsync();
        var handler = new RecordingHandler();
        await using var registration = await core.Get<TopicSubscriptions>().AddAsync("pubsub", "orders", handler, CancellationToken.None);

        var messageId = await PublishAsync(core, "orders");

        await handler.WaitForAsync(1);
        var received = Assert.Single(handler.Received);
        Assert.Equal(messageId, received.Id);
        Assert.Equal("orders", received.Event.Topic);
        Assert.Equal([7], received.Event.Data);
    }

    [Fact]
    public async Task AddAsync_TwoHandlersOnOneTopic_TakeEventsInTurn()
    {
        await using var core = await CoreHarness.StartAsync();
        var first = new RecordingHandler();
        var second = new RecordingHandler();
        var subscriptions = core.Get<TopicSubscriptions>();
        await using var one = await subscriptions.AddAsync("pubsub", "orders", first, CancellationToken.None);
        await using var two = await subscriptions.AddAsync("pubsub", "orders", second, CancellationToken.None);

        for (var i = 0; i < 10; i++)
        {
            await PublishAsync(core, "orders");
        }

        await WaitUntilAsync(() => first.Received.Count + second.Received.Count == 10);
        Assert.NotEmpty(first.Received);
        Assert.NotEmpty(second.Received);
        Assert.Equal(10, first.Received.Concat(second.Received).Select(received => received.Id).Distinct().Count());
        var info = Assert.Single(subscriptions.List());
        Assert.Equal(("pubsub", "orders", TopicNames.Queue("orders", "pubsub", "orders"), 2), (info.PubsubName, info.Topic, info.Queue, info.Handlers));
        Assert.Equal(2, info.Subscribers.Count);
        Assert.All(info.Subscribers, subscriber => Assert.Equal((new TopicRoutingRule("", ""), null), (Assert.Single(subscriber.Rules), subscriber.DeadLetterTopic)));
    }

    [Fact]
    public async Task Drop_HandlerDropsEvent_DeadLetteredAtOnceWithoutRetry()
    {
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?> { ["BusRuntime:PubSub:RetryLimit"] = "3" });
        var handler = new RecordingHandler(DeliveryOutcome.Drop);
        var deadLetters = ConnectDeadLetterQueue(core, "orders");
        await using var registration = await core.Get<TopicSubscriptions>().AddAsync("pubsub", "orders", handler, CancellationToken.None);

        var messageId = await PublishAsync(core, "orders");

        await deadLetters.WaitForAsync(1);
        Assert.Equal(messageId, Assert.Single(deadLetters.Received).Id);
        Assert.Single(handler.Received);
    }

    [Fact]
    public async Task Retry_HandlerAlwaysRetries_DeadLetteredAfterTheRetryLimit()
    {
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?> { ["BusRuntime:PubSub:RetryLimit"] = "2" });
        var handler = new RecordingHandler(DeliveryOutcome.Retry);
        var deadLetters = ConnectDeadLetterQueue(core, "orders");
        await using var registration = await core.Get<TopicSubscriptions>().AddAsync("pubsub", "orders", handler, CancellationToken.None);

        var messageId = await PublishAsync(core, "orders");

        await deadLetters.WaitForAsync(1);
        Assert.Equal(messageId, Assert.Single(deadLetters.Received).Id);
        Assert.Equal(3, handler.Received.Count);
        Assert.All(handler.Received, received => Assert.Equal(messageId, received.Id));
    }

    [Fact]
    public async Task Retry_HandlerRetriesOnceThenSucceeds_IsRedeliveredAndNotDeadLettered()
    {
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?> { ["BusRuntime:PubSub:RetryLimit"] = "2" });
        var handler = new FlakyHandler();
        var deadLetters = ConnectDeadLetterQueue(core, "orders");
        await using var registration = await core.Get<TopicSubscriptions>().AddAsync("pubsub", "orders", handler, CancellationToken.None);

        await PublishAsync(core, "orders");

        await handler.Succeeded.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, handler.Calls);
        await Task.Delay(200);
        Assert.Empty(deadLetters.Received);
    }

    [Fact]
    public async Task DisposeAsync_LastHandlerLeft_QueueKeepsEventsForTheNextHandler()
    {
        await using var core = await CoreHarness.StartAsync();
        var subscriptions = core.Get<TopicSubscriptions>();
        var first = new RecordingHandler();
        var registration = await subscriptions.AddAsync("pubsub", "orders", first, CancellationToken.None);
        await registration.DisposeAsync();
        Assert.Empty(subscriptions.List());

        var messageId = await PublishAsync(core, "orders");
        var second = new RecordingHandler();
        await using var again = await subscriptions.AddAsync("pubsub", "orders", second, CancellationToken.None);

        await second.WaitForAsync(1);
        Assert.Equal(messageId, Assert.Single(second.Received).Id);
        Assert.Empty(first.Received);
    }

    [Fact]
    public async Task Consume_EventWhoseTtlPassed_AcknowledgedWithoutReachingTheHandler()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var core = await CoreHarness.StartAsync(timeProvider: clock);
        var subscriptions = core.Get<TopicSubscriptions>();
        await (await subscriptions.AddAsync("pubsub", "orders", new RecordingHandler(), CancellationToken.None)).DisposeAsync();
        var expired = await core.Get<TopicPublisher>().PublishAsync(
            new PublishRequest("pubsub", "orders", new byte[] { 1 }, "", new Dictionary<string, string> { ["ttlInSeconds"] = "60" }), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(61));
        var handler = new RecordingHandler();
        await using var registration = await subscriptions.AddAsync("pubsub", "orders", handler, CancellationToken.None);

        var fresh = await PublishAsync(core, "orders");

        await handler.WaitForAsync(1);
        Assert.True(await core.Harness.Consumed.Any<TopicEvent>(consumed => consumed.Context.MessageId.ToString() == expired));
        Assert.Equal(fresh, Assert.Single(handler.Received).Id);
    }

    [Fact]
    public async Task Deliver_AppNeverAnswers_CountsAsRetryWhenTheDeliveryTimeoutPasses()
    {
        var time = new FakeTimeProvider();
        await using var core = await CoreHarness.StartAsync(
            new Dictionary<string, string?> { ["BusRuntime:PubSub:RetryLimit"] = "0", ["BusRuntime:PubSub:DeliveryTimeout"] = "00:00:30" },
            time);
        var handler = new SilentHandler();
        var deadLetters = ConnectDeadLetterQueue(core, "orders");
        await using var registration = await core.Get<TopicSubscriptions>().AddAsync("pubsub", "orders", handler, CancellationToken.None);

        var messageId = await PublishAsync(core, "orders");
        await handler.Called.Task.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(200);
        Assert.Empty(deadLetters.Received);
        time.Advance(TimeSpan.FromSeconds(1));

        await deadLetters.WaitForAsync(1);
        Assert.Equal(messageId, Assert.Single(deadLetters.Received).Id);
    }

    [Fact]
    public async Task AddAsync_TopicOutsideTheSubscriptionScopes_PermissionDeniedAndNoQueueConsumed()
    {
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?>
        {
            ["BusRuntime:Components:0:Name"] = "pubsub",
            ["BusRuntime:Components:0:Type"] = "pubsub.bus",
            ["BusRuntime:Components:0:Metadata:subscriptionScopes"] = "orders=created",
        });
        var subscriptions = core.Get<TopicSubscriptions>();

        var error = await Assert.ThrowsAsync<RuntimeException>(() => subscriptions.AddAsync("pubsub", "payments", new RecordingHandler(), CancellationToken.None));
        await using var allowed = await subscriptions.AddAsync("pubsub", "created", new RecordingHandler(), CancellationToken.None);

        Assert.Equal(ErrorCode.PermissionDenied, error.Code);
        Assert.Equal("app 'orders' may not subscribe to topic 'payments' of pub/sub 'pubsub': the component's subscriptionScopes grant this app only created.", error.Message);
        Assert.Equal("created", Assert.Single(subscriptions.List()).Topic);
    }

    [Theory]
    [InlineData("", "orders", ErrorCode.InvalidArgument)]
    [InlineData("nope", "orders", ErrorCode.ComponentNotFound)]
    [InlineData("pubsub", "", ErrorCode.InvalidArgument)]
    [InlineData("pubsub", "a b", ErrorCode.InvalidArgument)]
    public async Task AddAsync_BadNames_Fails(string pubsubName, string topic, ErrorCode code)
    {
        await using var core = await CoreHarness.StartAsync();

        var error = await Assert.ThrowsAsync<RuntimeException>(() => core.Get<TopicSubscriptions>().AddAsync(pubsubName, topic, new RecordingHandler(), CancellationToken.None));

        Assert.Equal(code, error.Code);
        Assert.Empty(core.Get<TopicSubscriptions>().List());
    }

    [Fact]
    public async Task AddAsync_SpecWithRules_EachHandlerGetsTheEventOnItsOwnRoute()
    {
        await using var core = await CoreHarness.StartAsync();
        var subscriptions = core.Get<TopicSubscriptions>();
        var routed = new RecordingHandler();
        var plain = new RecordingHandler();
        var routes = TopicRoutes.Create([new TopicRoutingRule("""event.data.kind == "big" """, "/big")], "/small");
        await using var one = await subscriptions.AddAsync(new SubscriptionSpec("pubsub", "orders") { Routes = routes }, routed, CancellationToken.None);
        await using var two = await subscriptions.AddAsync("pubsub", "orders", plain, CancellationToken.None);

        for (var i = 0; i < 6; i++)
        {
            await PublishJsonAsync(core, "orders", i % 2 == 0 ? """{"kind":"big"}""" : """{"kind":"small"}""");
        }

        await WaitUntilAsync(() => routed.Received.Count + plain.Received.Count == 6);
        Assert.NotEmpty(routed.Received);
        Assert.All(routed.Received, received => Assert.Equal(received.Event.Data[9] == (byte)'b' ? "/big" : "/small", received.Path));
        Assert.All(plain.Received, received => Assert.Equal("", received.Path));
    }

    [Fact]
    public async Task AddAsync_NoRuleMatchesAndNoDefault_EventAcknowledgedWithoutDeliveryNorDeadLetter()
    {
        await using var core = await CoreHarness.StartAsync();
        var handler = new RecordingHandler();
        var deadLetters = ConnectDeadLetterQueue(core, "orders");
        var routes = TopicRoutes.Create([new TopicRoutingRule("""event.data.kind == "big" """, "/big")], null);
        await using var registration = await core.Get<TopicSubscriptions>().AddAsync(new SubscriptionSpec("pubsub", "orders") { Routes = routes }, handler, CancellationToken.None);

        var skipped = await PublishJsonAsync(core, "orders", """{"kind":"small"}""");
        var matched = await PublishJsonAsync(core, "orders", """{"kind":"big"}""");

        await handler.WaitForAsync(1);
        Assert.Equal(matched, Assert.Single(handler.Received).Id);
        Assert.True(await core.Harness.Consumed.Any<TopicEvent>(context => context.Context.MessageId.ToString() == skipped && context.Exception is null));
        await Task.Delay(200);
        Assert.Empty(deadLetters.Received);
    }

    [Fact]
    public async Task Drop_SpecWithDeadLetterTopic_EventPublishedThereUnderItsIdInsteadOfTheErrorQueue()
    {
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?> { ["BusRuntime:PubSub:RetryLimit"] = "3" });
        var subscriptions = core.Get<TopicSubscriptions>();
        var handler = new RecordingHandler(DeliveryOutcome.Drop);
        var poison = new RecordingHandler();
        var deadLetters = ConnectDeadLetterQueue(core, "orders");
        await using var poisonRegistration = await subscriptions.AddAsync("pubsub", "poison", poison, CancellationToken.None);
        await using var registration = await subscriptions.AddAsync(new SubscriptionSpec("pubsub", "orders") { DeadLetterTopic = "poison" }, handler, CancellationToken.None);

        var messageId = await PublishJsonAsync(core, "orders", """{"n":1}""");

        await poison.WaitForAsync(1);
        var deadLetter = Assert.Single(poison.Received);
        Assert.Equal(messageId, deadLetter.Id);
        Assert.Equal(("pubsub", "poison", "orders"), (deadLetter.Event.PubsubName, deadLetter.Event.Topic, deadLetter.Event.Source));
        Assert.Equal("""{"n":1}"""u8.ToArray(), deadLetter.Event.Data);
        Assert.Single(handler.Received);
        await Task.Delay(200);
        Assert.Empty(deadLetters.Received);
    }

    [Fact]
    public async Task Retry_SpecWithDeadLetterTopic_PublishedThereOnlyAfterTheLastRetry()
    {
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?> { ["BusRuntime:PubSub:RetryLimit"] = "2" });
        var subscriptions = core.Get<TopicSubscriptions>();
        var handler = new RecordingHandler(DeliveryOutcome.Retry);
        var poison = new RecordingHandler();
        var deadLetters = ConnectDeadLetterQueue(core, "orders");
        await using var poisonRegistration = await subscriptions.AddAsync("pubsub", "poison", poison, CancellationToken.None);
        await using var registration = await subscriptions.AddAsync(new SubscriptionSpec("pubsub", "orders") { DeadLetterTopic = "poison" }, handler, CancellationToken.None);

        var messageId = await PublishJsonAsync(core, "orders", "{}");

        await poison.WaitForAsync(1);
        Assert.Equal(messageId, Assert.Single(poison.Received).Id);
        Assert.Equal(3, handler.Received.Count);
        await Task.Delay(200);
        Assert.Empty(deadLetters.Received);
        Assert.Single(poison.Received);
    }

    [Fact]
    public async Task AddAsync_DeadLetterTopicOutsideThePublishingScopes_PermissionDenied()
    {
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?>
        {
            ["BusRuntime:Components:0:Name"] = "pubsub",
            ["BusRuntime:Components:0:Type"] = "pubsub.bus",
            ["BusRuntime:Components:0:Metadata:publishingScopes"] = "orders=orders",
        });
        var subscriptions = core.Get<TopicSubscriptions>();

        var error = await Assert.ThrowsAsync<RuntimeException>(() =>
            subscriptions.AddAsync(new SubscriptionSpec("pubsub", "orders") { DeadLetterTopic = "poison" }, new RecordingHandler(), CancellationToken.None));

        Assert.Equal(ErrorCode.PermissionDenied, error.Code);
        Assert.StartsWith("the dead-letter topic of the subscription to 'orders': app 'orders' may not publish to topic 'poison'", error.Message, StringComparison.Ordinal);
        Assert.Empty(subscriptions.List());
    }

    [Theory]
    [InlineData(0, 1000, "max_messages_count is 0")]
    [InlineData(1001, 1000, "max_messages_count is 1001")]
    [InlineData(10, 0, "max_await_duration_ms is 0")]
    [InlineData(10, 30_000, "less than BusRuntime:PubSub:DeliveryTimeout (30000 ms)")]
    public async Task AddAsync_BulkSettingsOutOfBounds_InvalidArgument(int maxMessages, int maxAwaitMs, string reason)
    {
        await using var core = await CoreHarness.StartAsync();
        var subscriptions = core.Get<TopicSubscriptions>();

        var error = await Assert.ThrowsAsync<RuntimeException>(() => subscriptions.AddAsync(
            new SubscriptionSpec("pubsub", "orders") { Bulk = new BulkSubscribeSettings(true, maxMessages, maxAwaitMs) }, new RecordingHandler(), CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Empty(subscriptions.List());
    }

    private static Task<string> PublishJsonAsync(CoreHarness core, string topic, string json) =>
        core.Get<TopicPublisher>().PublishAsync(new PublishRequest("pubsub", topic, System.Text.Encoding.UTF8.GetBytes(json), "application/json", NoMetadata), CancellationToken.None);

    private static Task<string> PublishAsync(CoreHarness core, string topic) =>
        core.Get<TopicPublisher>().PublishAsync(new PublishRequest("pubsub", topic, new byte[] { 7 }, "", NoMetadata), CancellationToken.None);

    /// <summary>Consumes the dead-letter queue of app "orders"' subscription, the way an operator's tool would.</summary>
    private static RecordingHandler ConnectDeadLetterQueue(CoreHarness core, string topic)
    {
        var deadLetters = new RecordingHandler();
        var endpoint = core.Get<IReceiveEndpointConnector>().ConnectReceiveEndpoint(TopicNames.Queue("orders", "pubsub", topic) + "_error", (_, configurator) =>
        {
            configurator.ConfigureConsumeTopology = false;
            configurator.Handler<TopicEvent>(context =>
            {
                deadLetters.Received.Enqueue(new DeliveredTopicEvent(context.MessageId!.Value.ToString(), context.Message));
                return Task.CompletedTask;
            });
        });
        endpoint.Ready.Wait(TimeSpan.FromSeconds(10));
        return deadLetters;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true within 10 s.");
            await Task.Delay(10);
        }
    }

    private sealed class SilentHandler : ITopicEventHandler
    {
        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<DeliveryOutcome> HandleAsync(DeliveredTopicEvent topicEvent, CancellationToken cancellationToken)
        {
            Called.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return DeliveryOutcome.Success;
        }
    }

    private sealed class FlakyHandler : ITopicEventHandler
    {
        private int calls;

        public int Calls => calls;

        public TaskCompletionSource Succeeded { get; } = new();

        public Task<DeliveryOutcome> HandleAsync(DeliveredTopicEvent topicEvent, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                return Task.FromResult(DeliveryOutcome.Retry);
            }

            Succeeded.TrySetResult();
            return Task.FromResult(DeliveryOutcome.Success);
        }
    }
}
