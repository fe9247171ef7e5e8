using BusRuntime.Core.Locks;

namespace BusRuntime.Stores.InMemory.Locks;

/// <summary>Leases in this process's memory: they lock out callers of this sidecar only.</summary>
public sealed class InMemoryLockStore(TimeProvider timeProvider) : ILockStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, (string Owner, DateTimeOffset ExpiresAt)> leases = new(StringComparer.Ordinal);

    public Task<bool> TryLockAsync(string resourceId, string owner, TimeSpan expiry, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            if (leases.TryGetValue(resourceId, out var lease) && lease.ExpiresAt > now)
            {
                return Task.FromResult(false);
            }

            leases[resourceId] = (owner, now + expiry);
            return Task.FromResult(true);
        }
    }

    public Task<LockStatus> UnlockAsync(string resourceId, string owner, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var status = StatusOf(resourceId, owner);
            if (status == LockStatus.Success)
            {
                leases.Remove(resourceId);
            }

            return Task.FromResult(status);
        }
    }

    public Task<LockStatus> KeepAliveAsync(string resourceId, string owner, TimeSpan expiry, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var status = StatusOf(resourceId, owner);
            if (status == LockStatus.Success)
            {
                leases[resourceId] = (owner, timeProvider.GetUtcNow() + expiry);
            }

            return Task.FromResult(status);
        }
    }

    public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            var expired = leases.Where(lease => lease.Value.ExpiresAt <= now).Select(lease => lease.Key).ToList();
            foreach (var resourceId in expired)
            {
                leases.Remove(resourceId);
            }

            return Task.FromResult(expired.Count);
        }
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private LockStatus StatusOf(string resourceId, string owner)
    {
        if (!leases.TryGetValue(resourceId, out var lease) || lease.ExpiresAt <= timeProvider.GetUtcNow())
        {
            return LockStatus.LockDoesNotExist;
        }

        return lease.Owner == owner ? LockStatus.Success : LockStatus.LockBelongsToOthers;
    }
}
