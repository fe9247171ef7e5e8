using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Journal;

/// <summary>
/// The buffer between the message path and the journal store. Recording never waits: when the buffer is
/// full the entry is dropped and counted. Bodies are serialized by the writer, off the message path.
/// </summary>
public sealed class MessageJournal(IOptions<JournalOptions> options, JournalMetrics metrics, ILogger<MessageJournal> logger)
{
    /// <summary>How bodies are written, and read back for replay.</summary>
    internal static JsonSerializerOptions BodyJson { get; } = new(JsonSerializerDefaults.Web);

    private readonly Channel<Pending> buffer = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.Value.BufferSize)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    private readonly int maxBodyBytes = options.Value.MaxBodyBytes;

    private int overflowing;
    private volatile bool completed;

    /// <summary>Queues an entry; <paramref name="message"/>, when given, becomes the entry's body.</summary>
    public void Record(JournalEntry entry, object? message)
    {
        if (buffer.Writer.TryWrite(new Pending(entry, message)))
        {
            if (Volatile.Read(ref overflowing) != 0)
            {
                Volatile.Write(ref overflowing, 0);
            }

            return;
        }

        if (completed)
        {
            // A consumer finishing while the sidecar stops, after the writer's last batch: too late to keep.
            metrics.Dropped(1, "stopped");
            return;
        }

        metrics.Dropped(1, "buffer_full");
        if (Interlocked.Exchange(ref overflowing, 1) == 0)
        {
            Log.BufferFull(logger);
        }
    }

    /// <summary>
    /// Waits for entries, then takes up to <paramref name="max"/> of them with their bodies serialized; an empty
    /// batch means the buffer is completed and empty.
    /// </summary>
    internal async ValueTask<IReadOnlyList<JournalEntry>> TakeAsync(int max, CancellationToken cancellationToken)
    {
        var batch = new List<JournalEntry>();
        while (batch.Count == 0 && await buffer.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (batch.Count < max && buffer.Reader.TryRead(out var pending))
            {
                batch.Add(pending.Message is null ? pending.Entry : WithBody(pending.Entry, Serialize(pending.Message)));
            }
        }

        return batch;
    }

    internal void Complete()
    {
        completed = true;
        buffer.Writer.TryComplete();
    }

    private JournalEntry WithBody(JournalEntry entry, string body)
    {
        var size = Encoding.UTF8.GetByteCount(body);
        return size <= maxBodyBytes ? entry with { Body = body } : entry with { BodyOmittedBytes = size };
    }

    private static string Serialize(object message)
    {
        try
        {
            return JsonSerializer.Serialize(JournalRedaction.Redact(message), message.GetType(), BodyJson);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Whatever a message's type does when serialized, the journal's writer must not stop the sidecar.
            return JsonSerializer.Serialize(new { unserializable = exception.Message }, BodyJson);
        }
    }

    private readonly record struct Pending(JournalEntry Entry, object? Message);
}
