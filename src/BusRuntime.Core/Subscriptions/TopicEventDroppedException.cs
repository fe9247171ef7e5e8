namespace BusRuntime.Core.Subscriptions;

/// <summary>Thrown to the bus when the app dropped an event: the retry policy ignores it, so it is dead-lettered at once.</summary>
public sealed class TopicEventDroppedException(string message) : Exception(message);
