namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// Thrown by a handler whose subscriber left (its stream closed) before answering: the event was not
/// processed and goes to another subscriber, or back to the queue, without costing a retry.
/// </summary>
public sealed class SubscriberGoneException(string message) : Exception(message);
