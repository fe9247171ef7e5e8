using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// A subscriber that holds no server: events are queued for the app's open stream and each delivery
/// waits for the app to acknowledge the event by id. Events still unanswered when the stream closes
/// were not processed: they go to another subscriber or back to the queue, so nothing is lost when an
/// app disconnects. A delivery that ended (answered, timed out, closed) is never written afterwards.
/// </summary>
public sealed class TopicEventStream : ITopicEventHandler
{
    private readonly Channel<PendingDelivery> outgoing = Channel.CreateUnbounded<PendingDelivery>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<DeliveryOutcome>> pending = new(StringComparer.Ordinal);

    public async Task<DeliveryOutcome> HandleAsync(DeliveredTopicEvent topicEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topicEvent);
        var answer = new TaskCompletionSource<DeliveryOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!pending.TryAdd(topicEvent.Id, answer))
        {
            return DeliveryOutcome.Retry;
        }

        try
        {
            if (!outgoing.Writer.TryWrite(new PendingDelivery(topicEvent, answer)))
            {
                throw new SubscriberGoneException("the stream is closed");
            }

            return await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Ended one way or another: the writer must not send it any more.
            answer.TrySetCanceled(CancellationToken.None);
            pending.TryRemove(topicEvent.Id, out _);
        }
    }

    /// <summary>The events to write to the app's stream, in the order they were taken off the queue.</summary>
    public async IAsyncEnumerable<DeliveredTopicEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var delivery in outgoing.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!delivery.Answer.Task.IsCompleted)
            {
                yield return delivery.Event;
            }
        }
    }

    /// <summary>Records the app's answer for an event; false when no delivery of that id is waiting.</summary>
    public bool Acknowledge(string id, DeliveryOutcome outcome) =>
        pending.TryGetValue(id, out var answer) && answer.TrySetResult(outcome);

    /// <summary>Ends the stream: every delivery still waiting fails with <see cref="SubscriberGoneException"/>.</summary>
    public void Close()
    {
        outgoing.Writer.TryComplete();
        foreach (var answer in pending.Values)
        {
            answer.TrySetException(new SubscriberGoneException("the stream closed before the event was acknowledged"));
        }
    }

    private sealed record PendingDelivery(DeliveredTopicEvent Event, TaskCompletionSource<DeliveryOutcome> Answer);
}
