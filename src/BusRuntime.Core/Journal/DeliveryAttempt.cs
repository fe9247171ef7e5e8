namespace BusRuntime.Core.Journal;

/// <summary>
/// How many times delivery of the message being received was retried, left on its receive context by the
/// consumer: bus observers see the context from before the retry filter, which does not know.
/// </summary>
internal sealed record DeliveryAttempt(int Retries);
