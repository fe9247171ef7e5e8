using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace BusRuntime.Stores.Redis;

/// <summary>
/// The multiplexed connection to one Redis server, made on first use. With AbortOnConnectFail off, making it
/// completes even while the server is down and the multiplexer keeps trying in the background (the calls in
/// between fail at once: BacklogPolicy.FailFast); should making it fail all the same, the next call tries again.
/// </summary>
internal sealed class RedisConnection(RedisSettings settings, ILogger logger) : IAsyncDisposable
{
    private readonly Lock gate = new();
    private Task<ConnectionMultiplexer>? connecting;

    public Task<ConnectionMultiplexer> GetAsync()
    {
        lock (gate)
        {
            if (connecting is null || connecting.IsFaulted || connecting.IsCanceled)
            {
                connecting = ConnectAsync();
            }

            return connecting;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<ConnectionMultiplexer>? made;
        lock (gate)
        {
            made = connecting;
        }

        if (made is { IsCompletedSuccessfully: true })
        {
            await (await made.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
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
