namespace BusRuntime.Core.Subscriptions;

/// <summary>What a subscriber did with an event; the names are Dapr's TopicEventResponse statuses.</summary>
public enum DeliveryOutcome
{
    /// <summary>Processed: acknowledge the message.</summary>
    Success,

    /// <summary>Not now: retry by the policy, then dead-letter.</summary>
    Retry,

    /// <summary>Never: dead-letter at once.</summary>
    Drop,
}
