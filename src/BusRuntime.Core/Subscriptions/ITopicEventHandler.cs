namespace BusRuntime.Core.Subscriptions;

/// <summary>Something that hands events to the app: its callback port, or one of its open streams.</summary>
public interface ITopicEventHandler
{
    /// <summary>Delivers one event and says what the app did with it. Throwing counts as RETRY.</summary>
    Task<DeliveryOutcome> HandleAsync(DeliveredTopicEvent topicEvent, CancellationToken cancellationToken);
}
