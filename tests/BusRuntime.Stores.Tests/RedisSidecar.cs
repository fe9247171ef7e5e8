using BusRuntime.Core.Configuration;
using BusRuntime.Core.Locks;
using BusRuntime.Core.State;
using BusRuntime.Stores.Redis;
using BusRuntime.Stores.Redis.Locks;
using BusRuntime.Stores.Redis.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace BusRuntime.Stores.Tests;

/// <summary>
/// The Redis stores as one sidecar has them: its own connection, to <paramref name="redisHost"/>, and every
/// component's keys under <see cref="Keyspace"/> so that tests on one server never meet. Disposing it closes the connection.
/// </summary>
public sealed class RedisSidecar(string keyspace, string redisHost) : IAsyncDisposable
{
    private readonly RedisConnections connections = new(NullLogger<RedisConnections>.Instance);

    public string Keyspace => keyspace;

    public IStateStore State(string name = "statestore") => new RedisStateStore(Database(ComponentTypes.StateRedis, name), name, $"{keyspace}:{name}");

    public ILockStore Lock(string name = "lockstore") => new RedisLockStore(Database(ComponentTypes.LockRedis, name), name, $"{keyspace}:{name}");

    public ValueTask DisposeAsync() => connections.DisposeAsync();

    private RedisDatabase Database(string type, string name) => connections.Get(RedisSettings.For(new ComponentOptions
    {
        Name = name,
        Type = type,
        Metadata = new(StringComparer.OrdinalIgnoreCase) { [RedisMetadata.Host] = redisHost },
    }));
}
