using BusRuntime.Contracts;
using BusRuntime.Core.Journal;
using BusRuntime.Core.PubSub;
using MassTransit;

namespace BusRuntime.Core.Subscriptions;

/// <summary>Takes events off a subscription's queue and turns the app's answer into ack, retry or dead letter.</summary>
internal sealed class TopicEventConsumer(Subscription subscription, PubSubMetrics metrics, TimeSpan requeueTimeout, TimeProvider timeProvider) : IConsumer<TopicEvent>
{
    public async Task Consume(ConsumeContext<TopicEvent> context)
    {
        var id = context.MessageId?.ToString() ?? throw new TopicEventDroppedException("the message has no message id");
        var attempt = new DeliveryAttempt(context.GetRetryAttempt());
        context.ReceiveContext.AddOrUpdatePayload(() => attempt, _ => attempt);
        DeliveryOutcome outcome;
        try
        {
            outcome = await subscription.DeliverAsync(new DeliveredTopicEvent(id, context.Message), context.CancellationToken).ConfigureAwait(false);
        }
        catch (SubscriptionClosedException)
        {
            await RequeueAsync(context, requeueTimeout, timeProvider).ConfigureAwait(false);
            metrics.Requeued(subscription.PubsubName, subscription.Topic);
            return;
        }

        metrics.Delivered(subscription.PubsubName, subscription.Topic, outcome);

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
        await queue.Send(context.Message, send => send.MessageId = context.MessageId, window.Token).ConfigureAwait(false);
    }
}
