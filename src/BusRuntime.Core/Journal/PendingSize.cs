using BusRuntime.Contracts;

namespace BusRuntime.Core.Journal;

/// <summary>
/// Roughly how much memory a journal entry holds while it waits for the writer: its headers and what its message
/// carries (the bytes of an event, an invocation or a state value), not the JSON the writer makes of it later.
/// </summary>
internal static class PendingSize
{
    /// <summary>The entry itself and its fixed fields, whatever the message.</summary>
    private const long EntryOverhead = 256;

    public static long Of(JournalEntry entry, object? message, byte[]? rawBody) =>
        EntryOverhead + Text(entry.Headers) + (entry.Body.Length * 2L) + (rawBody?.LongLength ?? 0) + Carried(message);

    private static long Carried(object? message) => message switch
    {
        null => 0,
        TopicEvent topicEvent => topicEvent.Data.LongLength + Text(topicEvent.Metadata),
        InvokeRequest request => request.Data.LongLength + Text(request.Metadata),
        InvokeResponse response => response.Data.LongLength + Text(response.Headers) + Text(response.Trailers),
        StateChanged change => (change.Value?.LongLength ?? 0) + ((change.Key.Length + change.AppId.Length) * 2L),
        ConfigurationChanged change => ((change.Content?.Length ?? 0) * 2L) + Text(change.Tags) + Text(change.Metadata),
        _ => EntryOverhead,
    };

    // .NET strings hold two bytes a character.
    private static long Text(IEnumerable<KeyValuePair<string, string>> values) =>
        values.Sum(pair => (pair.Key.Length + (pair.Value?.Length ?? 0)) * 2L);
}
