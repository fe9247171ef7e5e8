using System.Text;
using System.Text.Json;
using BusRuntime.Core.Journal;

namespace BusRuntime.Stores.InMemory.Journal;

/// <summary>
/// One entry the embedded journal keeps: its fields, which queries filter on, and its headers and body packed as UTF-8
/// in a buffer of its own. When the journal is full, the oldest entry's object and buffer are reused for the newest, so
/// a busy sidecar's journal turns over without leaving its bodies (~1.5 KiB each) to the GC's oldest generation: kept as
/// strings they raised the sidecar's peak RSS under the publish benchmark by ~135 MiB.
/// </summary>
internal sealed class KeptJournalEntry
{
    private static readonly Dictionary<string, string> NoHeaders = [];

    private byte[] packed = [];
    private int headersLength;
    private int bodyLength;

    /// <summary>The entry without its headers and body.</summary>
    public JournalEntry Fields { get; private set; } = null!;

    /// <summary>The bytes the entry holds: its headers as JSON and its body, in UTF-8.</summary>
    public int Size => headersLength + bodyLength;

    /// <summary>
    /// Keeps <paramref name="entry"/> in this object, in place of whatever it held; <paramref name="headersJson"/> writes
    /// its headers (the caller's, reused from one entry to the next).
    /// </summary>
    public void Keep(JournalEntry entry, JournalHeadersJson headersJson)
    {
        var headers = headersJson.Json(entry.Headers).Span;
        var bodyBytes = Encoding.UTF8.GetByteCount(entry.Body);
        if (packed.Length < headers.Length + bodyBytes)
        {
            packed = new byte[headers.Length + bodyBytes];
        }

        headers.CopyTo(packed);
        headersLength = headers.Length;
        bodyLength = Encoding.UTF8.GetBytes(entry.Body, packed.AsSpan(headersLength));
        Fields = entry with { Headers = NoHeaders, Body = "" };
    }

    /// <summary>The entry as it was appended.</summary>
    public JournalEntry ToEntry() => Fields with
    {
        Headers = JsonSerializer.Deserialize<Dictionary<string, string>>(packed.AsSpan(0, headersLength)) ?? [],
        Body = Encoding.UTF8.GetString(packed, headersLength, bodyLength),
    };
}
