namespace BusRuntime.Core.DeadLetters;

/// <summary>A dead-letter queue (<c>&lt;queue&gt;_error</c>), the queue its messages came from, and how many it holds (null: it does not exist).</summary>
public sealed record DeadLetterQueue(string Name, string SourceQueue, long? Count);
