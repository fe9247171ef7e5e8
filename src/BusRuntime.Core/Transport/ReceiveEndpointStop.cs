using MassTransit;
using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.Transport;

/// <summary>
/// Stops a receive endpoint connected at runtime, waiting for it at most <see cref="Limit"/>. MassTransit's
/// stop waits for in-flight messages (so they are acknowledged), but after a broker restart it can also wait
/// forever on the broker client; an unsubscribe or a stopping sidecar must still end. An abandoned stop leaves
/// its unacknowledged messages to the broker, which redelivers them.
/// </summary>
public static partial class ReceiveEndpointStop
{
    /// <summary>How long a stop may take before it is abandoned: longer than in-flight work normally needs.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Stops the endpoint (<paramref name="name"/>: its queue or address, for the log); false (logged) when it did
    /// not stop within <see cref="Limit"/>, or before <paramref name="shutdown"/> (a stopping host's) ended the wait.
    /// </summary>
    public static async Task<bool> StopAsync(HostReceiveEndpointHandle endpoint, string name, TimeProvider timeProvider, ILogger logger, CancellationToken shutdown)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var limit = new CancellationTokenSource(Limit, timeProvider);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, shutdown);
        try
        {
            // MassTransit is not handed the token: a stop it sees cancelled is left half done, still consuming.
            // Messages still being consumed are cancelled by its ConsumerStopTimeout, and the broker redelivers them.
            await endpoint.StopAsync(CancellationToken.None).WaitAsync(stopping.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            LogAbandoned(logger, name);
            return false;
        }
    }

    [LoggerMessage(EventId = 710, Level = LogLevel.Warning, Message = "Receive endpoint {Endpoint} did not stop in time; it is left to the broker, which redelivers what it did not acknowledge")]
    private static partial void LogAbandoned(ILogger logger, string endpoint);
}
