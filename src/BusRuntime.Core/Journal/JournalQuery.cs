namespace BusRuntime.Core.Journal;

/// <summary>A filter over the journal; null filters match everything. Results come newest first.</summary>
public sealed record JournalQuery(string? Topic, string? SourceAppId, DateTimeOffset? Since, JournalOutcome? Outcome, int Limit)
{
    /// <summary>Only the entries of this app (<see cref="JournalVisibility.IsOf"/>); null: every app's.</summary>
    public string? AppId { get; init; }
}
