using System.Text;
using System.Text.Json;
using BusRuntime.Core.Journal;
using Npgsql;
using NpgsqlTypes;

namespace BusRuntime.Stores.Postgres.Journal;

/// <summary>
/// The journal in the table <c>journal</c>, one row per entry, written with binary COPY in batches and
/// indexed for the operators' queries: by time, and by topic, source app, destination app or outcome within a
/// time range.
/// </summary>
internal sealed class PostgresJournalStore(PostgresDatabase database) : IJournalStore
{
    private const string Component = "the journal";
    private const string Columns = "message_id, conversation_id, correlation_id, kind, source_app, destination, topic, headers, body, recorded_at, outcome, retries, reason, body_omitted_bytes";

    private readonly string copy = $"COPY {database.Schema}.journal ({Columns}, destination_app) FROM STDIN (FORMAT BINARY)";
    private readonly string get = $"SELECT {Columns} FROM {database.Schema}.journal WHERE message_id = $1 ORDER BY recorded_at, seq";
    // SKIP LOCKED: sidecars sharing the table may sweep at the same time without waiting on each other.
    private readonly string delete = $"""
        WITH expired AS (
            SELECT seq FROM {database.Schema}.journal WHERE recorded_at < $1
            LIMIT $2 FOR UPDATE SKIP LOCKED)
        DELETE FROM {database.Schema}.journal AS j USING expired WHERE j.seq = expired.seq
        """;

    public bool BatchesWrites => true;

    public async Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await database.RunAsync(
            Component,
            async (connection, token) =>
            {
                using var headers = new JournalHeadersJson();
                var importer = await connection.BeginBinaryImportAsync(copy, token).ConfigureAwait(false);
                await using (importer.ConfigureAwait(false))
                {
                    foreach (var entry in entries)
                    {
                        var row = PostgresJournalRow.Of(entry, headers);
                        await importer.StartRowAsync(token).ConfigureAwait(false);
                        await importer.WriteAsync(row.MessageId, NpgsqlDbType.Text, token).ConfigureAwait(false);
                        await WriteNullableAsync(importer, row.ConversationId, token).ConfigureAwait(false);
                        await WriteNullableAsync(importer, row.CorrelationId, token).ConfigureAwait(false);
                        await importer.WriteAsync(row.Kind, NpgsqlDbType.Text, token).ConfigureAwait(false);
                        await WriteNullableAsync(importer, row.SourceAppId, token).ConfigureAwait(false);
                        await WriteNullableAsync(importer, row.DestinationAddress, token).ConfigureAwait(false);
                        await WriteNullableAsync(importer, row.Topic, token).ConfigureAwait(false);
                        await importer.WriteAsync(row.HeadersJson, NpgsqlDbType.Jsonb, token).ConfigureAwait(false);
                        await importer.WriteAsync(row.Body, NpgsqlDbType.Text, token).ConfigureAwait(false);
                        await importer.WriteAsync(row.RecordedAt, NpgsqlDbType.TimestampTz, token).ConfigureAwait(false);
                        await importer.WriteAsync(row.Outcome, NpgsqlDbType.Text, token).ConfigureAwait(false);
                        await importer.WriteAsync(row.Retries, NpgsqlDbType.Integer, token).ConfigureAwait(false);
                        await WriteNullableAsync(importer, row.Reason, token).ConfigureAwait(false);
                        if (row.BodyOmittedBytes is { } omitted)
                        {
                            await importer.WriteAsync(omitted, NpgsqlDbType.Integer, token).ConfigureAwait(false);
                        }
                        else
                        {
                            await importer.WriteNullAsync(token).ConfigureAwait(false);
                        }

                        await WriteNullableAsync(importer, row.DestinationAppId, token).ConfigureAwait(false);
                    }

                    return await importer.CompleteAsync(token).ConfigureAwait(false);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<JournalEntry>> QueryAsync(JournalQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder($"SELECT {Columns} FROM {database.Schema}.journal WHERE true");
        var parameters = new List<NpgsqlParameter>();
        Filter(sql, parameters, "topic", query.Topic);
        Filter(sql, parameters, "source_app", query.SourceAppId);
        if (query.AppId is not null)
        {
            parameters.Add(new NpgsqlParameter<string> { TypedValue = query.AppId });
            sql.Append(" AND (source_app = $").Append(parameters.Count).Append(" OR destination_app = $").Append(parameters.Count).Append(')');
        }

        Filter(sql, parameters, "outcome", query.Outcome is { } outcome ? JournalOutcomeNames.Name(outcome) : null);
        Filter(sql, parameters, "kind", query.Kind);
        Filter(sql, parameters, "conversation_id", query.ConversationId);
        if (query.Since is { } since)
        {
            parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = since.UtcDateTime });
            sql.Append(" AND recorded_at >= $").Append(parameters.Count);
        }

        if (query.Before is { } before)
        {
            parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = before.UtcDateTime });
            sql.Append(" AND recorded_at < $").Append(parameters.Count);
        }

        parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Limit });
        sql.Append(" ORDER BY recorded_at DESC, seq DESC LIMIT $").Append(parameters.Count);
        return ReadAsync(sql.ToString(), parameters, cancellationToken);
    }

    public Task<IReadOnlyList<JournalEntry>> GetAsync(string messageId, CancellationToken cancellationToken) =>
        ReadAsync(get, [new NpgsqlParameter<string> { TypedValue = PostgresJournalRow.WithoutNul(messageId) }], cancellationToken);

    public Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        database.DeleteInBatchesAsync(Component, delete, cutoff.UtcDateTime, cancellationToken);

    private static void Filter(StringBuilder sql, List<NpgsqlParameter> parameters, string column, string? value)
    {
        if (value is not null)
        {
            // Written as AppendAsync writes it, so a U+0000 in what a caller looks for finds what was kept, not an error.
            parameters.Add(new NpgsqlParameter<string> { TypedValue = PostgresJournalRow.WithoutNul(value) });
            sql.Append(" AND ").Append(column).Append(" = $").Append(parameters.Count);
        }
    }

    private Task<IReadOnlyList<JournalEntry>> ReadAsync(string sql, List<NpgsqlParameter> parameters, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<JournalEntry>>(
            Component,
            async (connection, token) =>
            {
                var command = new NpgsqlCommand(sql, connection);
                await using (command.ConfigureAwait(false))
                {
                    foreach (var parameter in parameters)
                    {
                        command.Parameters.Add(parameter.Clone());
                    }

                    var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        var entries = new List<JournalEntry>();
                        while (await reader.ReadAsync(token).ConfigureAwait(false))
                        {
                            JournalOutcomeNames.TryParse(reader.GetString(10), out var outcome);
                            entries.Add(new JournalEntry
                            {
                                MessageId = reader.GetString(0),
                                ConversationId = NullableString(reader, 1),
                                CorrelationId = NullableString(reader, 2),
                                Kind = reader.GetString(3),
                                SourceAppId = NullableString(reader, 4),
                                DestinationAddress = NullableString(reader, 5),
                                Topic = NullableString(reader, 6),
                                Headers = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(7)) ?? [],
                                Body = reader.GetString(8),
                                RecordedAt = new DateTimeOffset(reader.GetDateTime(9)),
                                Outcome = outcome,
                                Retries = reader.GetInt32(11),
                                Reason = NullableString(reader, 12),
                                BodyOmittedBytes = NullableInt(reader, 13),
                            });
                        }

                        return entries;
                    }
                }
            },
            cancellationToken);

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static int? NullableInt(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        }
    }
}
