namespace BusRuntime.Core.Journal;

/// <summary>What became of a message at the moment it was journaled.</summary>
public enum JournalOutcome
{
    /// <summary>The sidecar sent or published it and the transport accepted it.</summary>
    Sent,

    /// <summary>A consumer on this sidecar processed it (after <see cref="JournalEntry.Retries"/> retries).</summary>
    Delivered,

    /// <summary>Retries ran out or the subscriber dropped it: it was moved to the queue's <c>_error</c> queue.</summary>
    DeadLettered,

    /// <summary>Nothing on the receiving endpoint consumes its type: the transport set it aside (<c>_skipped</c>).</summary>
    Dropped,

    /// <summary>Sending, publishing or receiving failed; <see cref="JournalEntry.Reason"/> says why.</summary>
    Faulted,
}
