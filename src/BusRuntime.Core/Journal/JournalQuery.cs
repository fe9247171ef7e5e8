namespace BusRuntime.Core.Journal;

/// <summary>A filter over the journal; null filters match everything. Results come newest first.</summary>
public sealed record JournalQuery(string? Topic, string? SourceAppId, DateTimeOffset? Since, JournalOutcome? Outcome, int Limit)
{
    /// <summary>Only the entries of this app (<see cref="JournalVisibility.IsOf"/>); null: every app's.</summary>
    public string? AppId { get; init; }

    /// <summary>Only entries of this kind (<see cref="JournalEntry.Kind"/>); null: every kind.</summary>
    public string? Kind { get; init; }

    /// <summary>Only the entries of one conversation (<see cref="JournalEntry.ConversationId"/>); null: every conversation's.</summary>
    public string? ConversationId { get; init; }

    /// <summary>Only entries recorded before this time (the next page of a list); null: up to now.</summary>
    public DateTimeOffset? Before { get; init; }
}
