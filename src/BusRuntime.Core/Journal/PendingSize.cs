namespace BusRuntime.Core.Journal;

/// <summary>
/// Roughly how much memory a journal entry holds while it waits for the writer: its headers and its message,
/// sized by the body the transport carried (whatever the message's type), not the JSON the writer makes later.
/// </summary>
internal static class PendingSize
{
    /// <summary>The entry itself and its fixed fields, whatever the message.</summary>
    private const long EntryOverhead = 256;

    public static long Of(JournalEntry entry, long bodyBytes)
    {
        // .NET strings hold two bytes a character.
        var headers = 0L;
        foreach (var (key, value) in entry.Headers)
        {
            headers += (key.Length + (value?.Length ?? 0)) * 2L;
        }

        return EntryOverhead + headers + Math.Max(0, bodyBytes);
    }
}
