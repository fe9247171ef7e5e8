using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Journal;

/// <summary>
/// The buffer between the message path and the journal store. Recording never waits: when the buffer holds
/// <see cref="JournalOptions.BufferSize"/> entries or <see cref="JournalOptions.BufferBytes"/> bytes the entry is
/// dropped and counted. The writer, off the message path, makes every entry's body and applies the same rules to
/// all of them: credentials redacted, bodies over <see cref="JournalOptions.MaxBodyBytes"/> left out.
/// </summary>
public sealed class MessageJournal(IOptions<JournalOptions> options, JournalMetrics metrics, ILogger<MessageJournal> logger)
{
    /// <summary>How bodies are written, and read back for replay.</summary>
    internal static JsonSerializerOptions BodyJson { get; } = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(JournalBodyJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    private readonly Channel<Pending> buffer = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.Value.BufferSize)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    private readonly int maxBodyBytes = options.Value.MaxBodyBytes;
    private readonly long bufferBytes = options.Value.BufferBytes;

    private long pendingBytes;
    private int overflowing;
    private volatile bool completed;

    /// <summary>
    /// Queues an entry; <paramref name="message"/>, when given, becomes the entry's body. <paramref name="bodyBytes"/>
    /// is the size of the body the transport carried (0 when unknown), what the entry holds until it is written.
    /// </summary>
    public void Record(JournalEntry entry, object? message, long bodyBytes)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Enqueue(new Pending(entry, message, null, PendingSize.Of(entry, bodyBytes)));
    }

    /// <summary>Queues an entry of a message that was not deserialized; <paramref name="body"/> is what the transport carried.</summary>
    public void RecordReceived(JournalEntry entry, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(body);
        Enqueue(new Pending(entry, null, body, PendingSize.Of(entry, body.LongLength)));
    }

    /// <summary>
    /// Waits for entries, then takes up to <paramref name="max"/> of them, ready to store; an empty batch means the
    /// buffer is completed and empty. When fewer than <paramref name="max"/> are there, it first waits
    /// <paramref name="linger"/> for more (on <paramref name="timeProvider"/>).
    /// </summary>
    internal async ValueTask<IReadOnlyList<JournalEntry>> TakeAsync(int max, TimeSpan linger, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var batch = new List<JournalEntry>();
        while (batch.Count == 0 && await buffer.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (linger > TimeSpan.Zero && buffer.Reader.Count < max && !completed)
            {
                await Task.Delay(linger, timeProvider, cancellationToken).ConfigureAwait(false);
            }

            while (batch.Count < max && buffer.Reader.TryRead(out var pending))
            {
                Interlocked.Add(ref pendingBytes, -pending.Size);
                batch.Add(Stored(pending));
            }
        }

        return batch;
    }

    /// <summary>Empties the buffer without storing anything and returns how many entries it held.</summary>
    internal int Discard()
    {
        var discarded = 0;
        while (buffer.Reader.TryRead(out var pending))
        {
            Interlocked.Add(ref pendingBytes, -pending.Size);
            discarded++;
        }

        return discarded;
    }

    internal void Complete()
    {
        completed = true;
        buffer.Writer.TryComplete();
    }

    private void Enqueue(Pending pending)
    {
        // An entry arriving at an empty buffer is taken whatever its size, so a large message is never refused alone.
        var total = Interlocked.Add(ref pendingBytes, pending.Size);
        if ((total == pending.Size || total <= bufferBytes) && buffer.Writer.TryWrite(pending))
        {
            if (Volatile.Read(ref overflowing) != 0)
            {
                Volatile.Write(ref overflowing, 0);
            }

            return;
        }

        Interlocked.Add(ref pendingBytes, -pending.Size);
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

    private JournalEntry Stored(Pending pending)
    {
        var headers = JournalRedaction.RedactIfSensitive(pending.Entry.Headers);
        if (pending.RawBody is { } raw && raw.LongLength > maxBodyBytes)
        {
            // Left out whatever redaction would make of it: not worth parsing.
            return pending.Entry with { Headers = headers, Body = "", BodyOmittedBytes = raw.Length };
        }

        var body = pending.Message is not null ? Serialize(pending.Message)
            : pending.RawBody is not null ? JournalRedaction.RedactJson(Encoding.UTF8.GetString(pending.RawBody))
            : pending.Entry.Body;
        var size = Encoding.UTF8.GetByteCount(body);
        return size <= maxBodyBytes
            ? pending.Entry with { Headers = headers, Body = body }
            : pending.Entry with { Headers = headers, Body = "", BodyOmittedBytes = size };
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

    private readonly record struct Pending(JournalEntry Entry, object? Message, byte[]? RawBody, long Size);
}
