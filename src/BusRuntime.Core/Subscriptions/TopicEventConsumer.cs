using BusRuntime.Contracts;
using BusRuntime.Core.Journal;
using BusRuntime.Core.PubSub;
using BusRuntime.Core.Telemetry;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// Takes events off a subscription's queue and turns the app's answer into ack, retry or dead letter. An event dropped,
/// or still failing on its last attempt (<paramref name="retryLimit"/> retries), goes to the dead-letter topic of the
/// handler that had it when it names one, and is acknowledged once the broker confirmed it there; otherwise the bus
/// moves it to the subscription's error queue. An event whose <c>expiration</c> passed is acknowledged undelivered.
/// </summary>
internal sealed class TopicEventConsumer(
    Subscription subscription,
    PubSubMetrics metrics,
    TopicPublisher publisher,
    int retryLimit,
    string appId,
    string transport,
    TimeSpan requeueTimeout,
    TimeProvider timeProvider,
    ILogger logger) : IConsumer<TopicEvent>
{
    public async Task Consume(ConsumeContext<TopicEvent> context)
    {
        var id = context.MessageId?.ToString() ?? throw new TopicEventDroppedException("the message has no message id");
        if (EventExpiry.HasExpired(context.Message.Metadata, timeProvider.GetUtcNow()))
        {
            // As daprd: an expired event is not delivered; a dead-letter copy would carry the same expiration.
            Log.Expired(logger, id, subscription.Topic, context.Message.Metadata[EventExpiry.ExpirationKey]);
            metrics.Delivered(subscription.PubsubName, subscription.Topic, DeliveryOutcome.Drop);
            return;
        }

        var attempt = new DeliveryAttempt(context.GetRetryAttempt());
        context.ReceiveContext.AddOrUpdatePayload(() => attempt, _ => attempt);
        var (traceParent, traceState) = RuntimeActivities.Extract(context.Headers);
        using var activity = RuntimeActivities.StartDelivery(appId, transport, subscription.PubsubName, subscription.Topic, subscription.Queue, id, traceParent, traceState);
        DeliveryOutcome outcome;
        SubscriptionSpec? spec;
        try
        {
            (outcome, spec) = await subscription.DeliverAsync(new DeliveredTopicEvent(id, context.Message, traceParent, traceState), context.CancellationToken).ConfigureAwait(false);
        }
        catch (SubscriptionClosedException)
        {
            await RequeueAsync(context, requeueTimeout, timeProvider).ConfigureAwait(false);
            metrics.Requeued(subscription.PubsubName, subscription.Topic);
            activity?.SetTag(RuntimeActivities.OutcomeTag, "requeued");
            return;
        }

        metrics.Delivered(subscription.PubsubName, subscription.Topic, outcome);
        if (activity is not null)
        {
            var answer = outcome.ToString().ToUpperInvariant();
            activity.SetTag(RuntimeActivities.OutcomeTag, answer.ToLowerInvariant());
            if (outcome != DeliveryOutcome.Success)
            {
                RuntimeActivities.Fail(activity, answer, $"the subscriber answered {answer}");
            }
        }

        if (outcome != DeliveryOutcome.Success
            && spec?.DeadLetterTopic is { } deadLetterTopic
            && (outcome == DeliveryOutcome.Drop || attempt.Retries >= retryLimit))
        {
            await publisher.ForwardAsync(subscription.PubsubName, deadLetterTopic, context.Message, context.MessageId!.Value, context.CancellationToken).ConfigureAwait(false);
            Log.DeadLettered(logger, id, subscription.Topic, outcome == DeliveryOutcome.Drop ? "dropped" : "out of retries", deadLetterTopic);
            return;
        }

        switch (outcome)
        {
            case DeliveryOutcome.Success:
                return;
            case DeliveryOutcome.Drop:
                throw new TopicEventDroppedException($"the subscriber dropped event {id} on topic '{subscription.Topic}'");
            default:
                throw new TopicEventRetryException($"the subscriber asked to retry event {id} on topic '{subscription.Topic}'");
        }
    }

    /// <summary>
    /// Puts an event nobody processed back on its queue under the same message id, before this copy is
    /// acknowledged: a subscriber that comes back gets it, and no retry was spent on it. Bounded in time,
    /// so a broker that went away cannot hold up the endpoint's stop; then this copy stays unacknowledged
    /// and the broker redelivers it.
    /// </summary>
    private static async Task RequeueAsync(ConsumeContext<TopicEvent> context, TimeSpan timeout, TimeProvider timeProvider)
    {
        using var window = new CancellationTokenSource(timeout, timeProvider);
        var queue = await context.GetSendEndpoint(context.ReceiveContext.InputAddress).ConfigureAwait(false);
        await queue.Send(context.Message, send =>
        {
            send.MessageId = context.MessageId;
            CopyTraceContext(context.Headers, send);
        }, window.Token).ConfigureAwait(false);
    }

    /// <summary>The event put back keeps its publisher's trace context, as a redelivery by the broker would.</summary>
    private static void CopyTraceContext(Headers headers, SendContext send)
    {
        foreach (var key in (ReadOnlySpan<string>)[RuntimeActivities.TraceParentHeader, RuntimeActivities.TraceStateHeader])
        {
            if (headers.TryGetHeader(key, out var value) && value is string text)
            {
                send.Headers.Set(key, text);
            }
        }
    }
}
