using System.Collections.Concurrent;
using System.Threading.Channels;

namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// A subscriber that holds no server: events are queued for the app's open stream and each delivery
/// waits for the app to acknowledge the event by id. Events still unanswered when the stream closes
/// were not processed: they go to another subscriber or back to the queue, so nothing is lost when an
/// app disconnects.
/// </summary>
public sealed class TopicEventStream : ITopicEventHandler
{
    private readonly Channel<DeliveredTopicEvent> outgoing = Channel.CreateUnbounded<DeliveredTopicEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<DeliveryOutcome>> pending = new(StringComparer.Ordinal);

    /// <summary>The events to write to the app's stream, in the order they were taken off the queue.</summary>
    public ChannelReader<DeliveredTopicEvent> Outgoing => outgoing.Reader;

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
            if (!outgoing.Writer.TryWrite(topicEvent))
            {
                throw new SubscriberGoneException("the stream is closed");
            }

            return await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            pending.TryRemove(topicEvent.Id, out _);
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
}
