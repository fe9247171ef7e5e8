using System.Collections.Concurrent;
using MassTransit;

namespace BusRuntime.Core.Transport;

/// <summary>
/// Tells a sender at once when its message will not be confirmed soon, so that it fails fast or sends again instead
/// of waiting out its timeout while the cluster already serves on another node:
/// <list type="bullet">
/// <item>the connection its message went out on was lost, or the broker refused the message: MassTransit sends such a
/// message again, but only after its reconnect back-off (seconds);</item>
/// <item>the send did not reach the broker's channel within <see cref="StallLimit"/>: after a connection loss
/// MassTransit retries a send that found no channel only after that same back-off (3 s and more), although a new
/// connection is usually up within a few hundred milliseconds.</item>
/// </list>
/// </summary>
public sealed class SendInterruptions(IBusTransport transport, TimeProvider timeProvider) : ISendObserver
{
    /// <summary>How long a send may wait for the broker's channel before it is stopped, to be sent again.</summary>
    public static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<Guid, SendWatch> watched = new();

    /// <summary>Watches the send of <paramref name="messageId"/>; dispose the result once the send is over.</summary>
    public SendWatch Watch(Guid messageId)
    {
        var watch = new SendWatch(this, messageId, StallLimit, timeProvider);
        watched[messageId] = watch;
        return watch;
    }

    /// <summary>
    /// Interrupts every watched send, as when the connection they go out on was lost: those that reached the channel
    /// may have been published, the others are sent again. Returns how many were interrupted.
    /// </summary>
    public int ConnectionLost()
    {
        var interrupted = 0;
        foreach (var watch in watched.Values)
        {
            if (watch.Interrupt(SendInterruption.ConnectionLost))
            {
                interrupted++;
            }
        }

        return interrupted;
    }

    public Task PreSend<T>(SendContext<T> context) where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.MessageId is { } id && watched.TryGetValue(id, out var watch))
        {
            watch.MarkReachedTransport();
        }

        return Task.CompletedTask;
    }

    public Task PostSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;

    public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.MessageId is not { } id || !watched.TryGetValue(id, out var watch))
        {
            return Task.CompletedTask;
        }

        if (transport.IsConnectionLost(exception))
        {
            watch.Interrupt(SendInterruption.ConnectionLost);
        }
        else if (transport.IsRefused(exception))
        {
            watch.Interrupt(SendInterruption.Refused);
        }

        return Task.CompletedTask;
    }

    internal void Forget(SendWatch watch) => watched.TryRemove(KeyValuePair.Create(watch.MessageId, watch));
}
