namespace BusRuntime.Core.Subscriptions;

/// <summary>Thrown to the bus when the app asked for a retry, so the retry policy redelivers the event.</summary>
public sealed class TopicEventRetryException(string message) : Exception(message);
