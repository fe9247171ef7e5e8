namespace BusRuntime.Core.Subscriptions;

/// <summary>A handler that also takes events in batches (Dapr's bulk subscribe), answering for each event on its own.</summary>
public interface IBulkTopicEventHandler : ITopicEventHandler
{
    /// <summary>Delivers a batch; the answer has one outcome per event, in the batch's order. Throwing counts as RETRY for all.</summary>
    Task<IReadOnlyList<DeliveryOutcome>> HandleBulkAsync(IReadOnlyList<DeliveredTopicEvent> events, CancellationToken cancellationToken);
}
