using BusRuntime.Core.Journal;

namespace BusRuntime.Stores.Postgres.Journal;

/// <summary>
/// An entry's values as <see cref="PostgresJournalStore"/> writes them into a row of <c>journal</c>: text without NUL,
/// the headers as JSON (in <see cref="JournalHeadersJson"/>'s buffer, valid until its next row), the outcome by its name.
/// </summary>
internal readonly record struct PostgresJournalRow(
    string MessageId,
    string? ConversationId,
    string? CorrelationId,
    string Kind,
    string? SourceAppId,
    string? DestinationAddress,
    string? Topic,
    ReadOnlyMemory<byte> HeadersJson,
    string Body,
    DateTime RecordedAt,
    string Outcome,
    int Retries,
    string? Reason,
    int? BodyOmittedBytes,
    string? DestinationAppId)
{
    public static PostgresJournalRow Of(JournalEntry entry, JournalHeadersJson headers) => new(
        WithoutNul(entry.MessageId),
        NullableWithoutNul(entry.ConversationId),
        NullableWithoutNul(entry.CorrelationId),
        entry.Kind,
        NullableWithoutNul(entry.SourceAppId),
        NullableWithoutNul(entry.DestinationAddress),
        NullableWithoutNul(entry.Topic),
        headers.Json(entry.Headers),
        WithoutNul(entry.Body),
        entry.RecordedAt.UtcDateTime,
        JournalOutcomeNames.Name(entry.Outcome),
        entry.Retries,
        NullableWithoutNul(entry.Reason),
        entry.BodyOmittedBytes,
        NullableWithoutNul(entry.DestinationAppId));

    // PostgreSQL text cannot hold NUL; a journal entry is for reading, so it is shown as the escape.
    public static string WithoutNul(string value) => value.Contains('\0', StringComparison.Ordinal) ? value.Replace("\0", "\\u0000", StringComparison.Ordinal) : value;

    private static string? NullableWithoutNul(string? value) => value is null ? null : WithoutNul(value);
}
