namespace BusRuntime.Core.Journal;

/// <summary>The outcomes as operators write them (<c>--outcome dead-lettered</c>) and as the PostgreSQL journal stores them.</summary>
public static class JournalOutcomeNames
{
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<JournalOutcome>().Select(Name)];

    public static string Name(JournalOutcome outcome) => outcome switch
    {
        JournalOutcome.Sent => "sent",
        JournalOutcome.Delivered => "delivered",
        JournalOutcome.DeadLettered => "dead-lettered",
        JournalOutcome.Dropped => "dropped",
        JournalOutcome.Faulted => "faulted",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    public static bool TryParse(string name, out JournalOutcome outcome)
    {
        foreach (var candidate in Enum.GetValues<JournalOutcome>())
        {
            if (string.Equals(Name(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                outcome = candidate;
                return true;
            }
        }

        outcome = default;
        return false;
    }
}
