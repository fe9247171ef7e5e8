namespace BusRuntime.Core.State;

/// <summary>What must be true of the current entry for a write to apply.</summary>
public readonly record struct StatePrecondition(StatePreconditionKind Kind, long ETag)
{
    /// <summary>Applies whatever the entry is (last write wins).</summary>
    public static StatePrecondition None { get; } = new(StatePreconditionKind.None, 0);

    /// <summary>Applies only when there is no live entry (create-only).</summary>
    public static StatePrecondition MustNotExist { get; } = new(StatePreconditionKind.MustNotExist, 0);

    /// <summary>Applies only when the live entry has this etag.</summary>
    public static StatePrecondition MustMatch(long etag) => new(StatePreconditionKind.MustMatch, etag);
}
