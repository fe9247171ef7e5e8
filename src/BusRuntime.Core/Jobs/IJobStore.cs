namespace BusRuntime.Core.Jobs;

/// <summary>
/// Where jobs are kept, keyed by (app id, name): every call names the app, and one app never reads, changes or claims
/// another's jobs. <see cref="ClaimDueAsync"/> is what makes a tick fire once however many sidecars an app runs with: a
/// claimed job is leased to one caller until it is released or the lease ends.
/// </summary>
public interface IJobStore
{
    /// <summary>Stores <paramref name="job"/> unless one of its name exists and <paramref name="overwrite"/> is false, or the app has <paramref name="maxJobs"/> others.</summary>
    Task<JobPutResult> PutAsync(StoredJob job, bool overwrite, int maxJobs, CancellationToken cancellationToken);

    Task<StoredJob?> GetAsync(string appId, string name, CancellationToken cancellationToken);

    /// <summary>Deletes the job; false when there was none.</summary>
    Task<bool> DeleteAsync(string appId, string name, CancellationToken cancellationToken);

    /// <summary>Deletes the app's jobs whose names start with <paramref name="prefix"/> (all of them when it is empty) and says how many.</summary>
    Task<int> DeleteByPrefixAsync(string appId, string prefix, CancellationToken cancellationToken);

    /// <summary>The app's jobs, by name, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<StoredJob>> ListAsync(string appId, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="max"/> of the app's jobs due at <paramref name="now"/> and not leased, each leased to the
    /// caller until <paramref name="now"/> + <paramref name="lease"/>, atomically: two callers never claim the same job.
    /// </summary>
    Task<IReadOnlyList<StoredJob>> ClaimDueAsync(string appId, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the lease of a claimed job: stores <paramref name="next"/> (its next tick or retry), or deletes the job when
    /// it is null; neither when the job was scheduled anew or deleted meanwhile (its version changed).
    /// </summary>
    Task ReleaseAsync(StoredJob claimed, StoredJob? next, CancellationToken cancellationToken);
}
