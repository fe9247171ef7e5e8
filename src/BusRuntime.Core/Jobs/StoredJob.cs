namespace BusRuntime.Core.Jobs;

/// <summary>
/// A job in its store: the app's <see cref="Job"/>, when it was scheduled (durations count from there), the tick it
/// delivers next and when to try it (<see cref="DueAt"/>, later than <see cref="Tick"/> while a failed tick is retried),
/// the ticks delivered so far, the tries of the current tick that failed, and the version a schedule with overwrite
/// replaces, so that a delivery in flight does not write over a job scheduled anew meanwhile.
/// </summary>
public sealed record StoredJob(
    string AppId,
    Job Job,
    DateTimeOffset CreatedAt,
    DateTimeOffset Tick,
    DateTimeOffset DueAt,
    int Fired,
    int FailedAttempts,
    Guid Version);
