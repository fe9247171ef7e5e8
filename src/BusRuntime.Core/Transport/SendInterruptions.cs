using System.Collections.Concurrent;
using MassTransit;

namespace BusRuntime.Core.Transport;

/// <summary>
/// Tells a sender at once when the connection its message went out on was lost before the broker confirmed it, or
/// when the broker refused it. MassTransit sends such a message again, but only after its reconnect back-off
/// (seconds), so a publish would otherwise wait out its timeout while the cluster already serves on another node.
/// </summary>
public sealed class SendInterruptions(IBusTransport transport) : ISendObserver
{
    private readonly ConcurrentDictionary<Guid, (CancellationTokenSource Lost, CancellationTokenSource Refused)> watched = new();

    /// <summary>
    /// Cancels <paramref name="lost"/> when the send of <paramref name="messageId"/> fails with its connection lost,
    /// <paramref name="refused"/> when the broker refuses it; dispose the result once the send is over.
    /// </summary>
    public IDisposable Watch(Guid messageId, CancellationTokenSource lost, CancellationTokenSource refused)
    {
        watched[messageId] = (lost, refused);
        return new Registration(this, messageId);
    }

    public Task PreSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;

    public Task PostSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;

    public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.MessageId is not { } id || !watched.TryGetValue(id, out var sources))
        {
            return Task.CompletedTask;
        }

        var interrupted = transport.IsConnectionLost(exception) ? sources.Lost
            : transport.IsRefused(exception) ? sources.Refused
            : null;
        if (interrupted is not null)
        {
            try
            {
                // Not inline: the sender's continuation must not run on MassTransit's send path.
                _ = interrupted.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // The send ended meanwhile.
            }
        }

        return Task.CompletedTask;
    }

    private sealed class Registration(SendInterruptions owner, Guid messageId) : IDisposable
    {
        public void Dispose() => owner.watched.TryRemove(messageId, out _);
    }
}
