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

    /// <summary>Stops the endpoint (<paramref name="name"/>: its queue or address, for the log); false (logged) when it did not stop within <see cref="Limit"/>.</summary>
    public static async Task<bool> StopAsync(HostReceiveEndpointHandle endpoint, string name, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var limit = new CancellationTokenSource(Limit, timeProvider);
        try
        {
            await endpoint.StopAsync(limit.Token).WaitAsync(limit.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            LogAbandoned(logger, name, Limit);
            return false;
        }
    }

    [LoggerMessage(EventId = 800, Level = LogLevel.Warning, Message = "Receive endpoint {Endpoint} did not stop within {Limit}; it is left to the broker, which redelivers what it did not acknowledge")]
    private static partial void LogAbandoned(ILogger logger, string endpoint, TimeSpan limit);
}
