using System.Buffers;
using System.Text.Json;

namespace BusRuntime.Stores.Postgres.Journal;

/// <summary>
/// Entries' headers as the UTF-8 JSON of their jsonb column, the same JSON <see cref="JsonSerializer"/> writes for them,
/// each written over the previous one in one buffer: a row's headers are valid until the next row's are written.
/// </summary>
internal sealed class PostgresJournalHeaders : IDisposable
{
    private readonly ArrayBufferWriter<byte> buffer = new();
    private readonly Utf8JsonWriter writer;

    public PostgresJournalHeaders() => writer = new Utf8JsonWriter(buffer);

    public ReadOnlyMemory<byte> Json(IReadOnlyDictionary<string, string> headers)
    {
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
