namespace BusRuntime.Core.Journal;

/// <summary>Where journal entries are kept. Appends come in batches from one writer; queries from operators.</summary>
public interface IJournalStore
{
    /// <summary>
    /// Whether a write costs about the same for one entry as for many (a database commit): the writer then waits
    /// up to Journal:FlushDelay to fill a batch. A store in memory writes at once.
    /// </summary>
    bool BatchesWrites { get; }

    Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken);

    /// <summary>The entries matching the query, newest first, at most <see cref="JournalQuery.Limit"/>.</summary>
    Task<IReadOnlyList<JournalEntry>> QueryAsync(JournalQuery query, CancellationToken cancellationToken);

    /// <summary>Every entry of one message, oldest first; empty when the journal never saw it.</summary>
    Task<IReadOnlyList<JournalEntry>> GetAsync(string messageId, CancellationToken cancellationToken);

    /// <summary>Deletes the entries recorded before <paramref name="cutoff"/> and returns how many.</summary>
    Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
