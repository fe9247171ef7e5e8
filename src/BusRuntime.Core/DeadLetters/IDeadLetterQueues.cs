namespace BusRuntime.Core.DeadLetters;

/// <summary>The transport's dead-letter queues: counted, read without consuming, and moved back one message at a time.</summary>
public interface IDeadLetterQueues
{
    Task<long?> CountAsync(string queue, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> messages of the queue, left in it.</summary>
    Task<IReadOnlyList<DeadLetter>> PeekAsync(string queue, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Sends one dead letter (the first, or the one with <paramref name="messageId"/>) back to
    /// <paramref name="sourceQueue"/> and removes it from <paramref name="queue"/> only once the broker has
    /// confirmed the resend; returns null when there is no such message.
    /// </summary>
    Task<DeadLetter?> RedriveOneAsync(string queue, string sourceQueue, string? messageId, CancellationToken cancellationToken);
}
