using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// One (pub/sub, topic) subscription of this sidecar: the handlers that share its queue, taken in turn.
/// An event whose subscriber left before answering goes to the next one; when the last one has left,
/// the subscription is closed and the event goes back to its queue. Each handler has its own subscription spec: the
/// route an event takes (<see cref="DeliveredTopicEvent.Path"/>) and the dead-letter topic are those of the handler
/// that gets it.
/// </summary>
internal sealed class Subscription(string pubsubName, string topic, string queue, TimeSpan deliveryTimeout, TimeProvider timeProvider, ILogger logger)
{
    private readonly Lock gate = new();
    private readonly List<(ITopicEventHandler Handler, SubscriptionSpec Spec, TopicEventBatcher? Batcher)> handlers = [];
    private readonly CancellationTokenSource closing = new();
    private TaskCompletionSource handlerAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int next;

    public string PubsubName => pubsubName;

    public string Topic => topic;

    public string Queue => queue;

    public int HandlerCount
    {
        get
        {
            lock (gate)
            {
                return handlers.Count;
            }
        }
    }

    /// <summary>The spec of each handler still here, in the order they came, as the subscription's metadata shows them.</summary>
    public IReadOnlyList<SubscriptionSpec> Specs
    {
        get
        {
            lock (gate)
            {
                return [.. handlers.Select(entry => entry.Spec)];
            }
        }
    }

    public void Add(ITopicEventHandler handler, SubscriptionSpec spec)
    {
        lock (gate)
        {
            // Bulk subscribe needs a handler that takes batches; any other gets the events one by one, as Dapr's
            // streaming subscriptions do.
            var batcher = spec.Bulk is { Enabled: true } bulk && handler is IBulkTopicEventHandler bulkHandler
                ? new TopicEventBatcher(bulkHandler, bulk, deliveryTimeout, timeProvider, closing.Token)
                : null;
            handlers.Add((handler, spec, batcher));
            handlerAdded.TrySetResult();
            handlerAdded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Removes a handler and says how many remain.</summary>
    public int Remove(ITopicEventHandler handler)
    {
        lock (gate)
        {
            handlers.RemoveAll(entry => ReferenceEquals(entry.Handler, handler));
            return handlers.Count;
        }
    }

    /// <summary>Stops every delivery in flight: their events go back to the queue.</summary>
    public void Close() => closing.Cancel();

    /// <summary>Delivers the event to the next handler, on the route that handler's spec selects; says what came of it and the spec it went by.</summary>
    public async Task<(DeliveryOutcome Outcome, SubscriptionSpec? Spec)> DeliverAsync(DeliveredTopicEvent topicEvent, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(deliveryTimeout, timeProvider);
        using var delivery = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, closing.Token, timeout.Token);
        while (true)
        {
            if (await NextHandlerAsync(delivery.Token).ConfigureAwait(false) is not var (handler, spec, batcher))
            {
                ThrowIfStopped(cancellationToken);
                Log.NoHandler(logger, topicEvent.Id, topic, deliveryTimeout);
                return (DeliveryOutcome.Retry, null);
            }

            if (spec.Routes.Select(topicEvent) is not { } path)
            {
                // As Dapr: an event no rule of its subscriber matches, with no default route, is not for this app.
                Log.NoRoute(logger, topicEvent.Id, topic);
                return (DeliveryOutcome.Success, spec);
            }

            try
            {
                var routed = topicEvent with { Path = path, RawPayload = spec.RawPayload };
                var outcome = batcher is null
                    ? await handler.HandleAsync(routed, delivery.Token).ConfigureAwait(false)
                    : await batcher.DeliverAsync(routed, delivery.Token).ConfigureAwait(false);
                return (outcome, spec);
            }
            catch (SubscriberGoneException)
            {
                // Not processed, and that subscriber will never answer: offer the event to the next one,
                // or give it back to the queue once the subscription closes.
                Remove(handler);
            }
            catch (Exception) when (delivery.IsCancellationRequested)
            {
                ThrowIfStopped(cancellationToken);
                Log.DeliveryTimedOut(logger, topicEvent.Id, topic, deliveryTimeout);
                return (DeliveryOutcome.Retry, spec);
            }
            catch (Exception exception)
            {
                Log.DeliveryFailed(logger, topicEvent.Id, topic, exception);
                return (DeliveryOutcome.Retry, spec);
            }
        }
    }

    private void ThrowIfStopped(CancellationToken cancellationToken)
    {
        // Closing first: stopping the endpoint may also cancel the consume, and a closed subscription
        // must hand its event back to the queue rather than let the bus fault it.
        if (closing.IsCancellationRequested)
        {
            throw new SubscriptionClosedException($"the last subscriber of topic '{topic}' left");
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task<(ITopicEventHandler Handler, SubscriptionSpec Spec, TopicEventBatcher? Batcher)?> NextHandlerAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task added;
            lock (gate)
            {
                if (handlers.Count > 0)
                {
                    next = (next + 1) % handlers.Count;
                    return handlers[next];
                }

                added = handlerAdded.Task;
            }

            try
            {
                await added.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }
}
