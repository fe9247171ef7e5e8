using System.Text;
using BusRuntime.Contracts;
using MassTransit;

namespace BusRuntime.Samples.BusService;

/// <summary>Logs and counts every event of topic "orders": those of the sidecars' apps and this service's own.</summary>
public sealed class OrderEventConsumer(OrderLedger ledger, ILogger<OrderEventConsumer> logger) : IConsumer<TopicEvent>
{
    public Task Consume(ConsumeContext<TopicEvent> context)
    {
        var topicEvent = context.Message;

        // The CloudEvent id is the MassTransit message id: the one the publisher's PublishEvent returned.
        Log.Received(logger, context.MessageId, topicEvent.Source, topicEvent.Type, Encoding.UTF8.GetString(topicEvent.Data));
        ledger.Record();
        return Task.CompletedTask;
    }
}
