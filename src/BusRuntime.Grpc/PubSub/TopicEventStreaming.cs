using BusRuntime.Core.Errors;
using BusRuntime.Core.Subscriptions;

namespace BusRuntime.Grpc.PubSub;

/// <summary>
/// One streaming subscription (busruntime.v1 SubscribeTopicEvents, Dapr's SubscribeTopicEventsAlpha1, Layotto's
/// SubscribeTopicEvents): it subscribes, writes the initial response, then writes every delivered event and applies
/// the app's acknowledgements until either side ends. The APIs differ only in their message types, which the
/// callers map.
/// </summary>
public static class TopicEventStreaming
{
    /// <summary>
    /// Runs until the client finishes its requests or the call ends; <paramref name="readAcknowledgement"/>
    /// returns the next acknowledgement (id and outcome), or null when the client finished.
    /// </summary>
    public static async Task RunAsync(
        TopicSubscriptions subscriptions,
        string pubsubName,
        string topic,
        Func<CancellationToken, Task> writeInitial,
        Func<DeliveredTopicEvent, CancellationToken, Task> writeEvent,
        Func<CancellationToken, Task<(string Id, DeliveryOutcome Outcome)?>> readAcknowledgement,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(writeInitial);
        ArgumentNullException.ThrowIfNull(writeEvent);
        ArgumentNullException.ThrowIfNull(readAcknowledgement);
        var stream = new TopicEventStream();
        await using var registration = (await subscriptions.AddAsync(pubsubName, topic, stream, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        await writeInitial(cancellationToken).ConfigureAwait(false);
        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = WriteEventsAsync(stream, writeEvent, stopWriting.Token);
        try
        {
            while (await readAcknowledgement(cancellationToken).ConfigureAwait(false) is var (id, outcome))
            {
                if (string.IsNullOrEmpty(id))
                {
                    throw RuntimeException.InvalidArgument("event_processed.id is empty; acknowledge each event with the id it was delivered with.");
                }

                stream.Acknowledge(id, outcome);
            }
        }
        finally
        {
            // Unanswered events go to another subscriber; nothing more is written on this call.
            stream.Close();
            await stopWriting.CancelAsync().ConfigureAwait(false);
            await writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static async Task WriteEventsAsync(TopicEventStream stream, Func<DeliveredTopicEvent, CancellationToken, Task> writeEvent, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var delivered in stream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await writeEvent(delivered, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // A stream that can no longer be written to hands its waiting events on at once.
            stream.Close();
        }
    }
}
