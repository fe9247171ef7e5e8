namespace BusRuntime.Core.Transport;

/// <summary>
/// One send of one message, watched by <see cref="SendInterruptions"/>: its <see cref="Token"/> is cancelled when the
/// send stalls before reaching the broker's channel, or when its connection is lost or the broker refuses it.
/// </summary>
public sealed class SendWatch : IDisposable
{
    private readonly SendInterruptions owner;
    private readonly CancellationTokenSource source;
    private int interruption;
    private volatile bool reachedTransport;

    internal SendWatch(SendInterruptions owner, Guid messageId, TimeSpan stallLimit, TimeProvider timeProvider)
    {
        this.owner = owner;
        MessageId = messageId;
        // The stall limit is this source's own timer, stopped once the send reaches the transport.
        source = new CancellationTokenSource(stallLimit, timeProvider);
    }

    public Guid MessageId { get; }

    /// <summary>Cancelled when the send is interrupted; pass it, linked with the caller's, to the send.</summary>
    public CancellationToken Token => source.Token;

    /// <summary>
    /// Whether the message was handed to the broker's channel: if not, an interrupted send published nothing and
    /// may be sent again as it is.
    /// </summary>
    public bool ReachedTransport => reachedTransport;

    /// <summary>Why the send was interrupted; <see cref="SendInterruption.Stalled"/> when the stall timer fired.</summary>
    public SendInterruption Interruption
    {
        get
        {
            var reason = (SendInterruption)Volatile.Read(ref interruption);
            return reason == SendInterruption.None && source.IsCancellationRequested ? SendInterruption.Stalled : reason;
        }
    }

    public void Dispose()
    {
        owner.Forget(this);
        source.Dispose();
    }

    internal void MarkReachedTransport()
    {
        reachedTransport = true;
        try
        {
            source.CancelAfter(Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The send ended meanwhile.
        }
    }

    /// <summary>Interrupts the send unless it was already; true when this call did.</summary>
    internal bool Interrupt(SendInterruption reason)
    {
        if (Interlocked.CompareExchange(ref interruption, (int)reason, (int)SendInterruption.None) != (int)SendInterruption.None)
        {
            return false;
        }

        try
        {
            // Not inline: the sender's continuation must not run on MassTransit's send path.
            _ = source.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The send ended meanwhile.
        }

        return true;
    }
}
