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
    TimeProvider timeProvider,
    IOptions<RuntimeOptions> runtimeOptions,
    IOptions<PubSubOptions> pubSubOptions,
    ILogger<TopicSubscriptions> logger) : IAsyncDisposable
{
    // One gate per topic: connecting and stopping a topic's endpoint never interleave, and a broker that
    // is slow for one topic holds up no other. Active subscriptions change only under their gate; read freely.
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
    /// Adds a handler for the spec's topic, its events taking the spec's routes, as <see cref="AddAsync(string, string, ITopicEventHandler, CancellationToken)"/>.
    /// </summary>
    public async Task<IAsyncDisposable> AddAsync(SubscriptionSpec spec, ITopicEventHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(handler);
        var (pubsubName, topic) = (spec.PubsubName, spec.Topic);
        TopicValidation.EnsureValid(components, pubsubName, topic);
        components.EnsureMaySubscribe(pubsubName, topic);
        var gate = GateFor(pubsubName, topic);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!active.TryGetValue((pubsubName, topic), out var entry))
            {
                entry = Connect(pubsubName, topic);
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
            .Select(entry => new SubscriptionInfo(entry.Subscription.PubsubName, entry.Subscription.Topic, entry.Subscription.Queue, entry.Subscription.HandlerCount))
            .OrderBy(info => info.PubsubName, StringComparer.Ordinal)
            .ThenBy(info => info.Topic, StringComparer.Ordinal)];

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

    private SemaphoreSlim GateFor(string pubsubName, string topic) => gates.GetOrAdd((pubsubName, topic), _ => new SemaphoreSlim(1, 1));

    private (Subscription, HostReceiveEndpointHandle) Connect(string pubsubName, string topic)
    {
        var settings = pubSubOptions.Value;
        var queue = TopicNames.Queue(runtimeOptions.Value.AppId, pubsubName, topic);
        var subscription = new Subscription(pubsubName, topic, queue, settings.DeliveryTimeout, timeProvider, logger);
        var endpoint = connector.ConnectReceiveEndpoint(queue, (_, configurator) =>
        {
            configurator.ConfigureConsumeTopology = false;
            configurator.PublishFaults = false;
            configurator.ConcurrentMessageLimit = settings.ConcurrentDeliveries;
            configurator.PrefetchCount = settings.ConcurrentDeliveries;
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
            configurator.Consumer(() => new TopicEventConsumer(subscription, metrics, runtimeOptions.Value.AppId, transport.Name, runtimeOptions.Value.PublishTimeout, timeProvider));
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
