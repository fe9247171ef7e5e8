using BusRuntime.Contracts;

namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// An event taken from a subscription's queue, with the message id that is its CloudEvent id and, when the
/// publish was traced, the publisher's W3C trace context (Dapr's CloudEvent fields traceparent and tracestate).
/// </summary>
public sealed record DeliveredTopicEvent(string Id, TopicEvent Event, string? TraceParent = null, string? TraceState = null);
