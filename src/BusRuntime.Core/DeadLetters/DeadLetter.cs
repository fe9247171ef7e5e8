namespace BusRuntime.Core.DeadLetters;

/// <summary>One message in a dead-letter queue, as the transport's fault headers describe it.</summary>
public sealed record DeadLetter(string MessageId, string Queue, string? Reason, string? FaultedAt);
