namespace BusRuntime.Core.Subscriptions;

/// <summary>Thrown when the last subscriber of a topic left while an event was on its way: the event goes back to the queue.</summary>
internal sealed class SubscriptionClosedException(string message) : Exception(message);
