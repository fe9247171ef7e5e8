using BusRuntime.Contracts;
using MassTransit;

namespace BusRuntime.Core.Subscriptions;

/// <summary>Takes events off a subscription's queue and turns the app's answer into ack, retry or dead letter.</summary>
internal sealed class TopicEventConsumer(Subscription subscription) : IConsumer<TopicEvent>
{
    public async Task Consume(ConsumeContext<TopicEvent> context)
    {
        var id = context.MessageId?.ToString() ?? throw new TopicEventDroppedException("the message has no message id");
        var outcome = await subscription.DeliverAsync(new DeliveredTopicEvent(id, context.Message), context.CancellationToken).ConfigureAwait(false);
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
}
