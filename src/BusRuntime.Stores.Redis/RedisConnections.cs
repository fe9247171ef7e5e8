using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace BusRuntime.Stores.Redis;

/// <summary>
/// One multiplexed connection per Redis server and credentials, shared by every component on it, made on
/// first use and disposed with the sidecar.
/// </summary>
internal sealed class RedisConnections(ILogger<RedisConnections> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<ConnectionMultiplexer>>> connections = new(StringComparer.Ordinal);

    public RedisDatabase Get(RedisSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var connection = connections.GetOrAdd(settings.ConnectionKey, _ => new Lazy<Task<ConnectionMultiplexer>>(() => ConnectAsync(settings)));
        return new RedisDatabase(connection, settings);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in connections.Values.Where(connection => connection.IsValueCreated))
        {
            try
            {
                await (await connection.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // It never connected: there is nothing to close.
            }
        }
    }

    // With AbortOnConnectFail off this completes even while the server is down, and the multiplexer keeps
    // trying in the background; the calls in between fail at once (BacklogPolicy.FailFast).
    private async Task<ConnectionMultiplexer> ConnectAsync(RedisSettings settings)
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(settings.ToConfigurationOptions()).ConfigureAwait(false);
        var server = $"{settings.Host}:{settings.Port}";
        multiplexer.ConnectionFailed += (_, failure) =>
        {
            if (failure.ConnectionType == ConnectionType.Interactive)
            {
                Log.ConnectionFailed(logger, server, failure.FailureType.ToString(), failure.Exception);
            }
        };
        multiplexer.ConnectionRestored += (_, restored) =>
        {
            if (restored.ConnectionType == ConnectionType.Interactive)
            {
                Log.ConnectionRestored(logger, server);
            }
        };
        return multiplexer;
    }
}
