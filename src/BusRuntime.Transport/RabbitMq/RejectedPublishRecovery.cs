using BusRuntime.Core.Transport;
using MassTransit;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace BusRuntime.Transport.RabbitMq;

/// <summary>
/// Opens a new connection when the broker refuses a publish (a basic.nack). RabbitMQ 3.10 keeps, per channel and
/// quorum queue, the leader it found in the queue's record when the channel first routed a message to the queue; if
/// that node is down then (a channel opened right after a failover, before the new leader is recorded), its first
/// call there fails and the channel refuses every later publish to the queue, for as long as it lives, although the
/// queue has a new leader (rabbit_fifo_client:enqueue answers {badrpc, nodedown} with reject_publish and keeps its
/// state). MassTransit sends on the bus's channel again and again, so only a new channel gets past it: closing the
/// connection makes MassTransit open a new one, whose channels read the queue's record afresh.
/// </summary>
public sealed class RejectedPublishRecovery(
    BusConnection connection,
    IBusTransport transport,
    TimeProvider timeProvider,
    ILogger<RejectedPublishRecovery> logger) : ISendObserver
{
    /// <summary>
    /// The least time between two new connections: the refusals of publishes in flight on the channel come together
    /// and need one; one that comes later means the new channel met the stale leader too (the election is not over).
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private long lastRecovery = long.MinValue;

    public Task PreSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;

    public Task PostSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;

    public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class
    {
        if (!transport.IsRefused(exception))
        {
            return Task.CompletedTask;
        }

        var now = timeProvider.GetTimestamp();
        var last = Interlocked.Read(ref lastRecovery);
        if (last != long.MinValue && timeProvider.GetElapsedTime(last, now) < Interval)
        {
            return Task.CompletedTask;
        }

        if (Interlocked.CompareExchange(ref lastRecovery, now, last) == last)
        {
            // Not inline: the connection's close must not run on MassTransit's send path.
            _ = Task.Run(RecoverAsync);
        }

        return Task.CompletedTask;
    }

    private async Task RecoverAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(CloseTimeout, timeProvider);
            await connection.UseAsync(
                async current =>
                {
                    Log.PublishRejected(logger, current.Endpoint.ToString());
                    // CONNECTION_FORCED, as when a node closes it: sends in flight on it fail at once as lost
                    // (RabbitMqBusTransport.IsConnectionLost) rather than wait out MassTransit's back-off.
                    await current.CloseAsync(Constants.ConnectionForced, "BusRuntime: a publish was refused; a new connection, with new channels", timeout.Token).ConfigureAwait(false);
                },
                timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or MassTransitException or OperationInterruptedException or ObjectDisposedException)
        {
            // The connection is gone already or being replaced: the new one has new channels anyway.
            Log.PublishRejectedRecoveryFailed(logger, exception);
        }
    }
}
