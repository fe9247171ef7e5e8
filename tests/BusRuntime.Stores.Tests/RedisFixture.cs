using BusRuntime.Testing;

namespace BusRuntime.Stores.Tests;

/// <summary>
/// The Redis server the tests share. It fails (never skips) when the server does not answer, saying which
/// script starts it; it hands every test a keyspace of its own and deletes their keys at the end.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private readonly RedisServer server = new();

    public Task InitializeAsync() => server.EnsureReachableAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    /// <summary>The stores of a new sidecar (its own connection) on a keyspace of its own, through <paramref name="port"/> (a proxy's) or straight to the server.</summary>
    public RedisSidecar StartSidecar(int port = RedisServer.Port) => new(server.NewKeyspace(), $"{RedisServer.Host}:{port}");

    public Task<DateTimeOffset> NowAsync() => server.NowAsync();

    public Task ElapseAsync(TimeSpan duration) => server.ElapseAsync(duration);

    public Task<int> KeyCountAsync(string keyspace) => server.KeyCountAsync(keyspace);
}
