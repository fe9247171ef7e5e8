using BusRuntime.Contracts;

namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// An event taken from a subscription's queue, with the message id that is its CloudEvent id and, when the
/// publish was traced, the publisher's W3C trace context (Dapr's CloudEvent fields traceparent and tracestate).
/// </summary>
public sealed record DeliveredTopicEvent(string Id, TopicEvent Event, string? TraceParent = null, string? TraceState = null)
{
    /// <summary>The route chosen for the handler it is delivered to (Dapr's TopicEventRequest.path); "" when none applies.</summary>
    public string Path { get; init; } = "";

    /// <summary>Whether the subscription it is delivered for asked for the bytes as published (<see cref="SubscriptionSpec.RawPayload"/>).</summary>
    public bool RawPayload { get; init; }
}
