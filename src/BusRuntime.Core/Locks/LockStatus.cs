namespace BusRuntime.Core.Locks;

/// <summary>The answer to an unlock or a keep-alive; the names are Dapr's UnlockResponse statuses.</summary>
public enum LockStatus
{
    Success,

    /// <summary>No live lease on the resource (never taken, released, or expired).</summary>
    LockDoesNotExist,

    /// <summary>A live lease of another owner.</summary>
    LockBelongsToOthers,
}
