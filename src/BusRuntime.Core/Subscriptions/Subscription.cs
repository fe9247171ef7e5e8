using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// One (pub/sub, topic) subscription of this sidecar: the handlers that share its queue, taken in turn.
/// An event that finds no handler waits for one up to the delivery timeout, so a stream that reconnects
/// does not cost a retry.
/// </summary>
internal sealed class Subscription(string pubsubName, string topic, string queue, TimeSpan deliveryTimeout, ILogger logger)
{
    private readonly Lock gate = new();
    private readonly List<ITopicEventHandler> handlers = [];
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

    public void Add(ITopicEventHandler handler)
    {
        lock (gate)
        {
            handlers.Add(handler);
            handlerAdded.TrySetResult();
            handlerAdded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Removes a handler and says how many remain.</summary>
    public int Remove(ITopicEventHandler handler)
    {
        lock (gate)
        {
            handlers.Remove(handler);
            return handlers.Count;
        }
    }

    public async Task<DeliveryOutcome> DeliverAsync(DeliveredTopicEvent topicEvent, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deliveryTimeout);
        var handler = await NextHandlerAsync(timeout.Token).ConfigureAwait(false);
        if (handler is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Log.NoHandler(logger, topicEvent.Id, topic, deliveryTimeout);
            return DeliveryOutcome.Retry;
        }

        try
        {
            return await handler.HandleAsync(topicEvent, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Log.DeliveryTimedOut(logger, topicEvent.Id, topic, deliveryTimeout);
            return DeliveryOutcome.Retry;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.DeliveryFailed(logger, topicEvent.Id, topic, exception);
            return DeliveryOutcome.Retry;
        }
    }

    private async Task<ITopicEventHandler?> NextHandlerAsync(CancellationToken cancellationToken)
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
