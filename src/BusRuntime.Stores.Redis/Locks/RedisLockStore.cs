using BusRuntime.Core.Locks;
using StackExchange.Redis;

namespace BusRuntime.Stores.Redis.Locks;

/// <summary>
/// Leases in Redis: a lease is the string "{keyspace}||{resource id}" holding its owner, set only when absent
/// and expiring on Redis's clock (SET NX PX), so Redis removes expired leases itself. Unlock and keep-alive
/// are Lua scripts that act only for the owner, since Redis runs a script alone.
/// </summary>
internal sealed class RedisLockStore(RedisDatabase database, string name, string keyspace) : ILockStore
{
    // Replies 0 (success), 1 (no lease) or 2 (another owner's): LockStatus in that order.
    private const string UnlockScript = """
        local owner = redis.call('GET', KEYS[1])
        if not owner then return 1 end
        if owner ~= ARGV[1] then return 2 end
        redis.call('DEL', KEYS[1])
        return 0
        """;

    private const string KeepAliveScript = """
        local owner = redis.call('GET', KEYS[1])
        if not owner then return 1 end
        if owner ~= ARGV[1] then return 2 end
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 0
        """;

    private readonly string component = $"the lock store '{name}'";

    public Task<bool> TryLockAsync(string resourceId, string owner, TimeSpan expiry, CancellationToken cancellationToken) =>
        database.RunAsync(component, redis => redis.StringSetAsync(LeaseKey(resourceId), owner, expiry, When.NotExists), cancellationToken);

    public async Task<LockStatus> UnlockAsync(string resourceId, string owner, CancellationToken cancellationToken)
    {
        var reply = await database.RunAsync(
            component, redis => redis.ScriptEvaluateAsync(UnlockScript, [LeaseKey(resourceId)], [owner]), cancellationToken).ConfigureAwait(false);
        return (LockStatus)(int)reply;
    }

    public async Task<LockStatus> KeepAliveAsync(string resourceId, string owner, TimeSpan expiry, CancellationToken cancellationToken)
    {
        var reply = await database.RunAsync(
            component,
            redis => redis.ScriptEvaluateAsync(KeepAliveScript, [LeaseKey(resourceId)], [owner, (long)Math.Ceiling(expiry.TotalMilliseconds)]),
            cancellationToken).ConfigureAwait(false);
        return (LockStatus)(int)reply;
    }

    /// <summary>Redis deletes expired leases itself: nothing is left to delete here.</summary>
    public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken) => Task.FromResult(0);

    public Task CheckHealthAsync(CancellationToken cancellationToken) => database.CheckHealthAsync(component, cancellationToken);

    private RedisKey LeaseKey(string resourceId) => $"{keyspace}||{resourceId}";
}
