using System.Buffers;
using System.Text.Json;

namespace BusRuntime.Core.Journal;

/// <summary>
/// Entries' headers as UTF-8 JSON, the same JSON <see cref="JsonSerializer"/> writes for them, each written over the
/// previous one in one buffer: an entry's headers are valid until the next entry's are written. The PostgreSQL journal
/// writes them into its jsonb column; the in-memory journal keeps them packed with the body.
/// </summary>
public sealed class JournalHeadersJson : IDisposable
{
    private readonly ArrayBufferWriter<byte> buffer = new();
    private readonly Utf8JsonWriter writer;

    public JournalHeadersJson() => writer = new Utf8JsonWriter(buffer);

    public ReadOnlyMemory<byte> Json(IReadOnlyDictionary<string, string> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartObject();
        if (headers is Dictionary<string, string> dictionary)
        {
            // Its own enumerator: no enumerator on the heap for every row.
            foreach (var (key, value) in dictionary)
            {
                writer.WriteString(key, value);
            }
        }
        else
        {
            foreach (var (key, value) in headers)
            {
                writer.WriteString(key, value);
            }
        }

        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenMemory;
    }

    public void Dispose() => writer.Dispose();
}
