using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BusRuntime.Stores.Redis;

/// <summary>
/// One multiplexed connection per Redis server and credentials, shared by every component on it, made on
/// first use and disposed with the sidecar.
/// </summary>
internal sealed class RedisConnections(ILogger<RedisConnections> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, RedisConnection> connections = new(StringComparer.Ordinal);

    public RedisDatabase Get(RedisSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new RedisDatabase(connections.GetOrAdd(settings.ConnectionKey, _ => new RedisConnection(settings, logger)), settings);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in connections.Values)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
