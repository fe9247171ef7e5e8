using BusRuntime.Core.Errors;
using BusRuntime.Core.Stores;

namespace BusRuntime.Core.Locks;

/// <summary>The lock primitive: checks what an app asks, scopes the resource id and calls the named lock store.</summary>
public sealed class LockManager(NamedStores<ILockStore> stores, StoreMetrics metrics)
{
    public Task<bool> TryLockAsync(string storeName, string resourceId, string owner, int expireSeconds, CancellationToken cancellationToken)
    {
        var (store, key) = Resolve(storeName, resourceId, owner);
        var expiry = Expiry(expireSeconds);
        return metrics.MeasureAsync(store.Name, "try_lock", () => store.Store.TryLockAsync(key, owner, expiry, cancellationToken));
    }

    public Task<LockStatus> UnlockAsync(string storeName, string resourceId, string owner, CancellationToken cancellationToken)
    {
        var (store, key) = Resolve(storeName, resourceId, owner);
        return metrics.MeasureAsync(store.Name, "unlock", () => store.Store.UnlockAsync(key, owner, cancellationToken));
    }

    public Task<LockStatus> KeepAliveAsync(string storeName, string resourceId, string owner, int expireSeconds, CancellationToken cancellationToken)
    {
        var (store, key) = Resolve(storeName, resourceId, owner);
        var expiry = Expiry(expireSeconds);
        return metrics.MeasureAsync(store.Name, "keep_alive", () => store.Store.KeepAliveAsync(key, owner, expiry, cancellationToken));
    }

    private (NamedStore<ILockStore> Store, string Key) Resolve(string storeName, string resourceId, string owner)
    {
        var store = stores.Get(storeName);
        var key = store.Keys.ToStorageKey(resourceId, "resource_id");
        StorableText.EnsureValid(owner, "lock_owner", "name who holds the lock (for example a UUID per process)");
        return (store, key);
    }

    private static TimeSpan Expiry(int expireSeconds) => expireSeconds > 0
        ? TimeSpan.FromSeconds(expireSeconds)
        : throw RuntimeException.InvalidArgument($"expire is {expireSeconds}; a lease lasts a whole number of seconds, at least 1.");
}
