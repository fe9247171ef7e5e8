using System.Collections.Concurrent;
using StackExchange.Redis;

namespace BusRuntime.Testing;

/// <summary>
/// The Redis server tests share (scripts/dev-services.sh starts it). Every test gets keyspaces of its own
/// (a part of every key it writes: a keyspace or a keyPrefix); <see cref="DisposeAsync"/> deletes their keys. Use it as a collection
/// fixture: it fails, never skips, when the server does not answer.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string Host = "127.0.0.1";
    public const int Port = 6379;

    /// <summary>The value of a component's metadata redisHost.</summary>
    public const string HostAndPort = "127.0.0.1:6379";

    private readonly ConcurrentQueue<string> keyspaces = new();
    private readonly Lazy<Task<ConnectionMultiplexer>> admin = new(() => ConnectionMultiplexer.ConnectAsync(
        new ConfigurationOptions { EndPoints = { { Host, Port } }, AllowAdmin = true, ConnectTimeout = 5000, AbortOnConnectFail = true, ClientName = "busruntime-tests" }));

    /// <summary>Fails with the script to run when the server does not answer.</summary>
    public async Task EnsureReachableAsync()
    {
        try
        {
            await (await admin.Value).GetDatabase().PingAsync();
        }
        catch (RedisConnectionException exception)
        {
            throw new InvalidOperationException(
                $"Redis does not answer at {HostAndPort} ({exception.Message}). Start it with `bash scripts/dev-services.sh` and run the tests again.",
                exception);
        }
    }

    /// <summary>A key prefix no other test uses; its keys are deleted when the server fixture is disposed.</summary>
    public string NewKeyspace()
    {
        var keyspace = $"t{Guid.NewGuid():N}";
        keyspaces.Enqueue(keyspace);
        return keyspace;
    }

    /// <summary>The server's clock, which times every TTL and lease, at the millisecond Redis keeps them in.</summary>
    public async Task<DateTimeOffset> NowAsync()
    {
        var time = await (await admin.Value).GetServer(Host, Port).TimeAsync();
        return new DateTimeOffset(time.Ticks - (time.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    /// <summary>Waits until <paramref name="duration"/> has passed on the server's clock.</summary>
    public async Task ElapseAsync(TimeSpan duration)
    {
        var until = await NowAsync() + duration;
        await Task.Delay(duration);
        while (await NowAsync() <= until)
        {
            await Task.Delay(10);
        }
    }

    /// <summary>How many keys with <paramref name="keyspace"/> in their name the server holds.</summary>
    public async Task<int> KeyCountAsync(string keyspace)
    {
        var count = 0;
        await foreach (var _ in (await admin.Value).GetServer(Host, Port).KeysAsync(pattern: "*" + keyspace + "*"))
        {
            count++;
        }

        return count;
    }

    public async ValueTask DisposeAsync()
    {
        if (!admin.IsValueCreated)
        {
            return;
        }

        var connection = await admin.Value;
        var server = connection.GetServer(Host, Port);
        foreach (var keyspace in keyspaces)
        {
            var keys = new List<RedisKey>();
            await foreach (var key in server.KeysAsync(pattern: "*" + keyspace + "*"))
            {
                keys.Add(key);
            }

            if (keys.Count > 0)
            {
                await connection.GetDatabase().KeyDeleteAsync([.. keys]);
            }
        }

        await connection.DisposeAsync();
    }
}
