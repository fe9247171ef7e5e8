using BusRuntime.Core.Stores;

namespace BusRuntime.Core.Locks;

/// <summary>
/// Where a lock component keeps its leases. Resource ids here are storage keys (already scoped). A lease
/// expires on the store's own clock, so sidecars with drifting clocks still agree on who holds a lock.
/// </summary>
public interface ILockStore : IHealthReportingStore
{
    /// <summary>Takes the lock for <paramref name="owner"/> unless another lease is live (the same owner included); true when taken.</summary>
    Task<bool> TryLockAsync(string resourceId, string owner, TimeSpan expiry, CancellationToken cancellationToken);

    /// <summary>Releases the lock if <paramref name="owner"/> holds a live lease on it.</summary>
    Task<LockStatus> UnlockAsync(string resourceId, string owner, CancellationToken cancellationToken);

    /// <summary>Extends the live lease of <paramref name="owner"/> to <paramref name="expiry"/> from now.</summary>
    Task<LockStatus> KeepAliveAsync(string resourceId, string owner, TimeSpan expiry, CancellationToken cancellationToken);

    /// <summary>Deletes expired leases and says how many.</summary>
    Task<int> DeleteExpiredAsync(CancellationToken cancellationToken);
}
