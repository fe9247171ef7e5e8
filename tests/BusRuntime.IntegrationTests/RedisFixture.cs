using BusRuntime.Testing;

namespace BusRuntime.IntegrationTests;

/// <summary>The Redis server the store integration tests share; fails, never skips, when it does not answer.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; } = new();

    /// <summary>
    /// The configuration keys of one state.redis component named statestore on <paramref name="redisHost"/>,
    /// its keys under a prefix of their own (deleted when the tests end).
    /// </summary>
    public Dictionary<string, string?> Settings(string redisHost = RedisServer.HostAndPort) => new(StringComparer.Ordinal)
    {
        ["BusRuntime:Components:0:Name"] = "statestore",
        ["BusRuntime:Components:0:Type"] = "state.redis",
        ["BusRuntime:Components:0:Metadata:redisHost"] = redisHost,
        ["BusRuntime:Components:0:Metadata:keyPrefix"] = Server.NewKeyspace(),
    };

    public Task InitializeAsync() => Server.EnsureReachableAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
