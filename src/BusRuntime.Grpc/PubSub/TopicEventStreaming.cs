using BusRuntime.Core.Errors;
using BusRuntime.Core.Subscriptions;
using Grpc.Core;

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
    /// Reads the call's first request as its initial request (<paramref name="readInitial"/> gives its pub/sub, topic and
    /// dead-letter topic, or null for any other message), then runs until the client finishes its requests or the call
    /// ends; every later request must be an acknowledgement (<paramref name="readAcknowledgement"/> gives its id and
    /// outcome, or null for any other message). <paramref name="rpc"/> names the call in errors.
    /// </summary>
    public static async Task RunAsync<TRequest>(
        TopicSubscriptions subscriptions,
        IAsyncStreamReader<TRequest> requests,
        string rpc,
        Func<TRequest, (string PubsubName, string Topic, string? DeadLetterTopic)?> readInitial,
        Func<TRequest, (string Id, DeliveryOutcome Outcome)?> readAcknowledgement,
        Func<CancellationToken, Task> writeInitial,
        Func<DeliveredTopicEvent, CancellationToken, Task> writeEvent,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(readInitial);
        ArgumentNullException.ThrowIfNull(readAcknowledgement);
        ArgumentNullException.ThrowIfNull(writeInitial);
        ArgumentNullException.ThrowIfNull(writeEvent);
        if (!await requests.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var (pubsubName, topic, deadLetterTopic) = readInitial(requests.Current)
            ?? throw RuntimeException.InvalidArgument($"the first message of {rpc} must be initial_request, naming pubsub_name and topic.");
        // Dapr's .NET SDK always sets the optional field, to "" when the app named no dead-letter topic.
        var spec = new SubscriptionSpec(pubsubName, topic) { DeadLetterTopic = string.IsNullOrEmpty(deadLetterTopic) ? null : deadLetterTopic };
        var stream = new TopicEventStream();
        await using var registration = (await subscriptions.AddAsync(spec, stream, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        await writeInitial(cancellationToken).ConfigureAwait(false);
        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = WriteEventsAsync(stream, writeEvent, stopWriting.Token);
        try
        {
            while (await requests.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                var (id, outcome) = readAcknowledgement(requests.Current)
                    ?? throw RuntimeException.InvalidArgument($"only event_processed may follow initial_request on a {rpc} stream.");
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
