using System.Collections.Concurrent;
using BusRuntime.Contracts;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.PubSub;
using BusRuntime.Core.Transport;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// This sidecar's subscriptions. The first handler of a (pub/sub, topic) connects a receive endpoint
/// on the app's durable queue for it; when the last one leaves, the endpoint stops and the queue keeps
/// collecting events until a handler comes back.
/// </summary>
public sealed class TopicSubscriptions(
    IReceiveEndpointConnector connector,
    IBusTransport transport,
    PubSubComponents components,
    PubSubMetrics metrics,
    TopicPublisher publisher,
    TimeProvider timeProvider,
    IOptions<RuntimeOptions> runtimeOptions,
    IOptions<PubSubOptions> pubSubOptions,
    ILogger<TopicSubscriptions> logger) : IAsyncDisposable
{
    // One gate per topic: connecting and stopping a topic's endpoint never interleave, and a broker that
    // is slow for one topic holds up no other. Active subscriptions change only under their gate; read freely.
    /// <summary>The largest batch of a bulk subscription: its events are all in flight at once.</summary>
    public const int MaxBulkMessagesCount = 1000;

    /// <summary>The longest wait, in milliseconds, for a bulk subscription's batch to fill.</summary>
    public const int MaxBulkAwaitDurationMs = 60_000;

    private readonly ConcurrentDictionary<(string PubsubName, string Topic), SemaphoreSlim> gates = new();
    private readonly ConcurrentDictionary<(string PubsubName, string Topic), (Subscription Subscription, HostReceiveEndpointHandle Endpoint)> active = new();

    /// <summary>
    /// Adds a handler for a topic and returns once the queue is consuming. Dispose the result to remove
    /// the handler. Throws INVALID_ARGUMENT or NOT_FOUND for bad names, PERMISSION_DENIED when the component's
    /// scopes do not let this app subscribe to the topic, and UNAVAILABLE when the broker
    /// does not start consuming the queue within <see cref="PubSubOptions.SubscribeTimeout"/>.
    /// </summary>
    public Task<IAsyncDisposable> AddAsync(string pubsubName, string topic, ITopicEventHandler handler, CancellationToken cancellationToken) =>
        AddAsync(new SubscriptionSpec(pubsubName, topic), handler, cancellationToken);

    /// <summary>
    /// Adds a handler for the spec's topic, its events taking the spec's routes and going to its dead-letter topic, as
    /// <see cref="AddAsync(string, string, ITopicEventHandler, CancellationToken)"/>; INVALID_ARGUMENT or PERMISSION_DENIED
    /// too for a dead-letter topic this app may not publish to.
    /// </summary>
    public async Task<IAsyncDisposable> AddAsync(SubscriptionSpec spec, ITopicEventHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(handler);
        var (pubsubName, topic) = (spec.PubsubName, spec.Topic);
        TopicValidation.EnsureValid(components, pubsubName, topic);
        components.EnsureMaySubscribe(pubsubName, topic);
        EnsureDeadLetterTopic(spec);
        EnsureBulk(spec.Bulk, pubSubOptions.Value.DeliveryTimeout);
        var gate = GateFor(pubsubName, topic);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!active.TryGetValue((pubsubName, topic), out var entry))
            {
                entry = Connect(pubsubName, topic, spec.Bulk);
                var timeout = pubSubOptions.Value.SubscribeTimeout;
                try
                {
                    await entry.Endpoint.Ready.WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    await ReceiveEndpointStop.StopAsync(entry.Endpoint, entry.Subscription.Queue, timeProvider, logger, CancellationToken.None).ConfigureAwait(false);
                    if (exception is TimeoutException)
                    {
                        throw RuntimeException.Unavailable(
                            $"the broker did not start consuming queue '{entry.Subscription.Queue}' for topic '{topic}' within {timeout.TotalSeconds:0.###}s.", exception);
                    }

                    throw;
                }

                active[(pubsubName, topic)] = entry;
                Log.Subscribed(logger, pubsubName, topic, entry.Subscription.Queue);
            }

            entry.Subscription.Add(handler, spec);
            return new Registration(this, pubsubName, topic, handler);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The subscriptions whose queues are consuming.</summary>
    public IReadOnlyList<SubscriptionInfo> List() =>
        [.. active.Values
            .Select(entry => Describe(entry.Subscription))
            .OrderBy(info => info.PubsubName, StringComparer.Ordinal)
            .ThenBy(info => info.Topic, StringComparer.Ordinal)];

    private static SubscriptionInfo Describe(Subscription subscription) =>
        new(subscription.PubsubName, subscription.Topic, subscription.Queue, subscription.HandlerCount)
        {
            Subscribers = [.. subscription.Specs.Select(SubscriberInfo.Of)],
        };

    public async ValueTask DisposeAsync()
    {
        foreach (var (key, gate) in gates)
        {
            await gate.WaitAsync().ConfigureAwait(false);
            if (active.TryRemove(key, out var entry))
            {
                entry.Subscription.Close();
                await ReceiveEndpointStop.StopAsync(entry.Endpoint, entry.Subscription.Queue, timeProvider, logger, CancellationToken.None).ConfigureAwait(false);
            }

            gate.Dispose();
        }
    }

    /// <summary>A dead-letter topic is a topic of the same pub/sub this app may publish to, and not the subscription's own.</summary>
    private void EnsureDeadLetterTopic(SubscriptionSpec spec)
    {
        if (spec.DeadLetterTopic is not { } deadLetterTopic)
        {
            return;
        }

        if (deadLetterTopic == spec.Topic)
        {
            throw RuntimeException.InvalidArgument($"dead-letter topic {Quoted.Of(deadLetterTopic)} is the subscription's own topic; name another topic.");
        }

        try
        {
            TopicValidation.EnsureValid(components, spec.PubsubName, deadLetterTopic);
            components.EnsureMayPublish(spec.PubsubName, deadLetterTopic);
        }
        catch (RuntimeException exception)
        {
            throw new RuntimeException(exception.Code, $"the dead-letter topic of the subscription to {Quoted.Of(spec.Topic)}: {exception.Message}");
        }
    }

    /// <summary>A batch fits in flight at once, and goes out before the deliveries waiting in it time out.</summary>
    private static void EnsureBulk(BulkSubscribeSettings? bulk, TimeSpan deliveryTimeout)
    {
        if (bulk is not { Enabled: true })
        {
            return;
        }

        if (bulk.MaxMessagesCount is < 1 or > MaxBulkMessagesCount)
        {
            throw RuntimeException.InvalidArgument($"bulk_subscribe.max_messages_count is {bulk.MaxMessagesCount}; it must be between 1 and {MaxBulkMessagesCount}.");
        }

        if (bulk.MaxAwaitDurationMs is < 1 or > MaxBulkAwaitDurationMs)
        {
            throw RuntimeException.InvalidArgument($"bulk_subscribe.max_await_duration_ms is {bulk.MaxAwaitDurationMs}; it must be between 1 and {MaxBulkAwaitDurationMs}.");
        }

        if (bulk.MaxAwaitDurationMs >= deliveryTimeout.TotalMilliseconds)
        {
            throw RuntimeException.InvalidArgument(
                $"bulk_subscribe.max_await_duration_ms is {bulk.MaxAwaitDurationMs}; it must be less than BusRuntime:PubSub:DeliveryTimeout ({deliveryTimeout.TotalMilliseconds:0} ms), or the events would time out waiting for their batch.");
        }
    }

    private SemaphoreSlim GateFor(string pubsubName, string topic) => gates.GetOrAdd((pubsubName, topic), _ => new SemaphoreSlim(1, 1));

    /// <summary>
    /// Connects the topic's endpoint. A bulk subscriber takes up to its batch size at once, so that a batch can fill: the
    /// first subscriber of the topic sets how many events its endpoint delivers at a time.
    /// </summary>
    private (Subscription, HostReceiveEndpointHandle) Connect(string pubsubName, string topic, BulkSubscribeSettings? bulk)
    {
        var settings = pubSubOptions.Value;
        var concurrentDeliveries = bulk is { Enabled: true } ? Math.Max(settings.ConcurrentDeliveries, bulk.MaxMessagesCount) : settings.ConcurrentDeliveries;
        var queue = TopicNames.Queue(runtimeOptions.Value.AppId, pubsubName, topic);
        var subscription = new Subscription(pubsubName, topic, queue, settings.DeliveryTimeout, timeProvider, logger);
        var endpoint = connector.ConnectReceiveEndpoint(queue, (_, configurator) =>
        {
            configurator.ConfigureConsumeTopology = false;
            configurator.PublishFaults = false;
            configurator.ConcurrentMessageLimit = concurrentDeliveries;
            configurator.PrefetchCount = concurrentDeliveries;
            transport.BindTopic(configurator, TopicNames.Exchange(pubsubName, topic));
            configurator.UseMessageRetry(retry =>
            {
                if (settings.RetryLimit == 0)
                {
                    retry.None();
                }
                else
                {
                    retry.Exponential(settings.RetryLimit, settings.RetryMinInterval, settings.RetryMaxInterval, settings.RetryMinInterval);
                }

                retry.Ignore<TopicEventDroppedException>();
            });
            configurator.Consumer(() => new TopicEventConsumer(
                subscription, metrics, publisher, settings.RetryLimit, runtimeOptions.Value.AppId, transport.Name, runtimeOptions.Value.PublishTimeout, timeProvider, logger));
        });
        return (subscription, endpoint);
    }

    private async Task RemoveAsync(string pubsubName, string topic, ITopicEventHandler handler)
    {
        var gate = GateFor(pubsubName, topic);
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (active.TryGetValue((pubsubName, topic), out var entry) && entry.Subscription.Remove(handler) == 0)
            {
                active.TryRemove((pubsubName, topic), out _);
                entry.Subscription.Close();
                await ReceiveEndpointStop.StopAsync(entry.Endpoint, entry.Subscription.Queue, timeProvider, logger, CancellationToken.None).ConfigureAwait(false);
                Log.Unsubscribed(logger, pubsubName, topic);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private sealed class Registration(TopicSubscriptions owner, string pubsubName, string topic, ITopicEventHandler handler) : IAsyncDisposable
    {
        private int disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                await owner.RemoveAsync(pubsubName, topic, handler).ConfigureAwait(false);
            }
        }
    }
}
