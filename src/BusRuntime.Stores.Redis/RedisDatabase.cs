using BusRuntime.Core.Errors;
using StackExchange.Redis;

namespace BusRuntime.Stores.Redis;

/// <summary>
/// One database of a Redis server, on the connection <see cref="RedisConnections"/> shares: it runs the
/// stores' commands with failures reported in the project's terms (<see cref="Translate"/>).
/// </summary>
internal sealed class RedisDatabase(RedisConnection connection, RedisSettings settings)
{
    public string Server => settings.Server;

    /// <summary>Runs <paramref name="work"/> on the database; the caller's cancellation stops the wait, not the command.</summary>
    public async Task<T> RunAsync<T>(string component, Func<IDatabase, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            var multiplexer = await connection.GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            return await work(multiplexer.GetDatabase(settings.Database)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException)
        {
            throw Translate(component, exception, cancellationToken);
        }
    }

    /// <summary>Completes when Redis answers a PING; throws UNAVAILABLE naming the component otherwise.</summary>
    public Task CheckHealthAsync(string component, CancellationToken cancellationToken) =>
        RunAsync(component, database => database.PingAsync(), cancellationToken);

    /// <summary>
    /// A Redis failure of <paramref name="component"/>'s work in the project's terms: the caller's cancellation
    /// stays one; UNAVAILABLE when Redis cannot serve (no connection, no answer in time, still loading, a
    /// replica that cannot write, refused credentials, which an operator fixes outside the sidecar); INTERNAL
    /// for any other refusal.
    /// </summary>
    public Exception Translate(string component, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException($"The call to {component} was cancelled.", exception, cancellationToken);
        }

        return exception switch
        {
            RedisConnectionException or RedisTimeoutException =>
                RuntimeException.Unavailable($"Redis at {Server} is unreachable for {component}: {Reason(exception)}", exception),
            RedisServerException server when IsUnavailable(server) =>
                RuntimeException.Unavailable($"Redis at {Server} cannot serve {component} now: {Reason(exception)}", exception),
            _ => RuntimeException.Internal($"Redis at {Server} refused the work of {component}: {Reason(exception)}", exception),
        };
    }

    private static bool IsUnavailable(RedisServerException exception) =>
        exception.Message.StartsWith("LOADING", StringComparison.Ordinal)
        || exception.Message.StartsWith("BUSY", StringComparison.Ordinal)
        || exception.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
        || exception.Message.StartsWith("READONLY", StringComparison.Ordinal)
        || exception.Message.StartsWith("NOAUTH", StringComparison.Ordinal)
        || exception.Message.StartsWith("WRONGPASS", StringComparison.Ordinal)
        || exception.Message.StartsWith("NOPERM", StringComparison.Ordinal);

    // The client's message names the endpoint and the failure, never the password; its cause says more (a socket error).
    private static string Reason(Exception exception) =>
        exception.InnerException is { } inner ? $"{FirstLine(exception.Message)} ({FirstLine(inner.Message)})" : FirstLine(exception.Message);

    // A timeout's message goes on with the client's queue diagnostics, which say nothing to an operator here.
    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        var line = end < 0 ? message : message[..end];
        return line.Length <= MaxReasonLength ? line : string.Concat(line.AsSpan(0, MaxReasonLength), "…");
    }

    private const int MaxReasonLength = 200;
}
