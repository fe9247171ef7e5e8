using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using BusRuntime.Core.Errors;
using BusRuntime.Core.State;
using JasperFx;
using Marten.Services;
using Npgsql;

namespace BusRuntime.Stores.Postgres.State;

/// <summary>
/// State as Marten documents (<see cref="StateDocument"/>), the component's name as the tenant. A read is one
/// prepared statement that selects the live documents by id, as Marten's LoadMany would but filtered on the
/// database's clock, read with Marten's serializer. A batch with a precondition is one session and one SaveChanges, all or nothing: in its transaction it first takes a
/// transaction-level advisory lock per key (in one order, so batches queue rather than deadlock, and racing
/// creations of one key queue too), reads the keys' revisions and draws a new revision per upsert from the
/// schema's sequence; the preconditions are checked against that, in order, and each key's last write is
/// queued: an upsert as Marten's UpdateRevision, whose own check (the stored revision is lower) always holds
/// under the lock, or a delete. Marten's revision check alone ("lower than") cannot tell a stale etag from the
/// current one, and its per-document counter would reuse etags after a delete; the sequence never does.
/// A batch without preconditions needs no read and is one round trip: the same locks, then each write as one
/// prepared statement that writes the columns and JSON Marten's upsert writes. Expiry is on the database's
/// clock, as for every sidecar sharing the schema: filtered on read, swept by <see cref="DeleteExpiredAsync"/>.
/// </summary>
internal sealed partial class MartenStateStore(PostgresDatabase database, StateDocuments documents, AutoCreate autoCreate, string name) : IQueryableStateStore
{
    private readonly string component = $"the state store '{name}'";

    // One round trip: the locks and the rows ($1 tenant, the component; $2 the keys), the revisions ($1 how
    // many), then the database's time once the locks are held.
    private readonly string[] lockAndRead =
    [
        "SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended($1 || '|' || k, 0) AS h FROM unnest($2::text[]) AS k ORDER BY 1) AS keys",
        $"SELECT id, mt_version, expires_at FROM {database.Schema}.{StateDocuments.Table} WHERE tenant_id = $1 AND id = ANY($2)",
        $"SELECT nextval('{database.Schema}.{StateDocuments.RevisionSequence}') FROM generate_series(1, $1)",
        "SELECT clock_timestamp()",
    ];

    // An upsert without a precondition, the document drawing its revision and expiry in the statement ($1
    // tenant, $2 id, $3 the document as Marten serialises it, $4 its .NET type, $5 seconds to live or null,
    // $6 keep the live entry's expiry): the columns and the JSON Marten's own upsert writes.
    private readonly string upsert = $"""
        WITH revision AS (SELECT nextval('{database.Schema}.{StateDocuments.RevisionSequence}') AS value, clock_timestamp() + $5 * interval '1 second' AS expires_at)
        INSERT INTO {database.Schema}.{StateDocuments.Table} AS t (tenant_id, id, data, mt_dotnet_type, mt_version, mt_last_modified, expires_at)
        SELECT $1, $2,
            jsonb_set(jsonb_set($3::jsonb, ARRAY['{nameof(StateDocument.Version)}'], to_jsonb(revision.value)),
                ARRAY['{nameof(StateDocument.ExpiresAt)}'], COALESCE(to_jsonb(revision.expires_at), 'null'::jsonb)),
            $4, revision.value, transaction_timestamp(), revision.expires_at
        FROM revision
        ON CONFLICT (tenant_id, id) DO UPDATE SET
            data = CASE WHEN $6 AND t.expires_at > clock_timestamp()
                THEN jsonb_set(excluded.data, ARRAY['{nameof(StateDocument.ExpiresAt)}'], to_jsonb(t.expires_at)) ELSE excluded.data END,
            mt_dotnet_type = excluded.mt_dotnet_type, mt_version = excluded.mt_version, mt_last_modified = excluded.mt_last_modified,
            expires_at = CASE WHEN $6 AND t.expires_at > clock_timestamp() THEN t.expires_at ELSE excluded.expires_at END
        RETURNING t.mt_version
        """;

    private readonly string delete = $"DELETE FROM {database.Schema}.{StateDocuments.Table} WHERE tenant_id = $1 AND id = $2";

    // The live documents of some keys ($1 tenant, $2 the keys), as Marten's LoadMany reads them but on the
    // database's clock, and prepared once per pooled connection.
    private readonly string live = $"""
        SELECT data, mt_version FROM {database.Schema}.{StateDocuments.Table}
        WHERE tenant_id = $1 AND id = ANY($2) AND (expires_at IS NULL OR expires_at > now())
        """;

    private readonly string sweep = $"""
        DELETE FROM {database.Schema}.{StateDocuments.Table} WHERE ctid = ANY(ARRAY(
            SELECT ctid FROM {database.Schema}.{StateDocuments.Table} WHERE tenant_id = $1 AND expires_at <= now() LIMIT $2))
        """;

    public async Task<IReadOnlyDictionary<string, StoredState>> GetAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return new Dictionary<string, StoredState>(StringComparer.Ordinal);
        }

        return await RunAsync(
            async token =>
            {
                var serializer = documents.Store.Options.Serializer();
                var connection = await database.OpenAsync(token).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    var command = new NpgsqlCommand(live, connection)
                    {
                        Parameters = { new NpgsqlParameter<string> { TypedValue = name }, new NpgsqlParameter<string[]> { TypedValue = [.. keys] } },
                    };
                    await using (command.ConfigureAwait(false))
                    {
                        await command.PrepareAsync(token).ConfigureAwait(false);
                        var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                        await using (reader.ConfigureAwait(false))
                        {
                            var found = new Dictionary<string, StoredState>(StringComparer.Ordinal);
                            while (await reader.ReadAsync(token).ConfigureAwait(false))
                            {
                                var document = await serializer.FromJsonAsync<StateDocument>(reader, 0, token).ConfigureAwait(false);
                                found[document.Id] = new StoredState(Value(document), reader.GetInt64(1), document.ExpiresAt);
                            }

                            return (IReadOnlyDictionary<string, StoredState>)found;
                        }
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<long?>> ApplyAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0)
        {
            return [];
        }

        return await RunAsync(
            token => writes.All(write => write.Precondition.Kind == StatePreconditionKind.None)
                ? ApplyUnconditionalAsync(writes, token)
                : ApplyInSessionAsync(writes, token),
            cancellationToken).ConfigureAwait(false);
    }

    public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken) =>
        RunAsync(
            async token =>
            {
                var deleted = 0;
                int batch;
                do
                {
                    var connection = await database.OpenAsync(token).ConfigureAwait(false);
                    await using (connection.ConfigureAwait(false))
                    {
                        var command = new NpgsqlCommand(sweep, connection)
                        {
                            Parameters =
                            {
                                new NpgsqlParameter<string> { TypedValue = name },
                                new NpgsqlParameter<int> { TypedValue = PostgresDatabase.SweepBatchSize },
                            },
                        };
                        await using (command.ConfigureAwait(false))
                        {
                            batch = await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                        }
                    }

                    deleted += batch;
                }
                while (batch == PostgresDatabase.SweepBatchSize);

                return deleted;
            },
            cancellationToken);

    public Task CheckHealthAsync(CancellationToken cancellationToken) =>
        RunAsync(
            async token =>
            {
                var session = documents.Store.QuerySession(new SessionOptions { TenantId = name });
                await using (session.ConfigureAwait(false))
                {
                    // A primary-key lookup: it proves the connection and the table without reading an entry.
                    return await session.LoadAsync<StateDocument>("", token).ConfigureAwait(false);
                }
            },
            cancellationToken);

    /// <summary>
    /// A batch without preconditions in one round trip: the keys' advisory locks (as a checked batch takes
    /// them), then each write as one statement that draws its revision itself, all in the implicit
    /// transaction of one batch of statements.
    /// </summary>
    private async Task<IReadOnlyList<long?>> ApplyUnconditionalAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        var keys = writes.Select(write => write.Key).Distinct(StringComparer.Ordinal).ToArray();
        var serializer = documents.Store.Options.Serializer();
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand(lockAndRead[0]) { Parameters = { new NpgsqlParameter<string> { TypedValue = name }, new NpgsqlParameter<string[]> { TypedValue = keys } } },
                },
            };
            await using (batch.ConfigureAwait(false))
            {
                foreach (var write in writes)
                {
                    batch.BatchCommands.Add(write.IsDelete ? Delete(write.Key) : Upsert(write, serializer));
                }

                // Prepared once per pooled connection (later calls find it there): planning the upsert costs more than running it.
                await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
                var etags = new long?[writes.Count];
                var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    for (var index = 0; index < writes.Count; index++)
                    {
                        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                        if (!writes[index].IsDelete && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            etags[index] = reader.GetInt64(0);
                        }
                    }
                }

                return etags;
            }
        }
    }

    private NpgsqlBatchCommand Upsert(StateWrite write, Marten.ISerializer serializer) =>
        new(upsert)
        {
            Parameters =
            {
                new NpgsqlParameter<string> { TypedValue = name },
                new NpgsqlParameter<string> { TypedValue = write.Key },
                new NpgsqlParameter<string> { TypedValue = serializer.ToJson(Document(write.Key, write.Value, null, 0)), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb },
                new NpgsqlParameter<string> { TypedValue = typeof(StateDocument).FullName },
                new NpgsqlParameter<int?> { TypedValue = write.Expiry.Kind == StateExpiryKind.After ? write.Expiry.Seconds : null, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer },
                new NpgsqlParameter<bool> { TypedValue = write.Expiry.Kind == StateExpiryKind.Keep },
            },
        };

    private NpgsqlBatchCommand Delete(string key) =>
        new(delete) { Parameters = { new NpgsqlParameter<string> { TypedValue = name }, new NpgsqlParameter<string> { TypedValue = key } } };

    private async Task<IReadOnlyList<long?>> ApplyInSessionAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        var session = documents.Store.LightweightSession(new SessionOptions { TenantId = name });
        await using (session.ConfigureAwait(false))
        {
            await session.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var keys = writes.Select(write => write.Key).Distinct(StringComparer.Ordinal).ToArray();
            var upserts = writes.Count(write => !write.IsDelete);
            var (stored, revisions, now) = await LockAndReadAsync(session.Connection, keys, upserts, cancellationToken).ConfigureAwait(false);

            // What each key holds after the writes so far: absent, or (revision, expiry, document).
            var entries = new Dictionary<string, (long Revision, DateTimeOffset? ExpiresAt, StateDocument? Document)?>(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                entries[key] = stored.TryGetValue(key, out var row) && (row.ExpiresAt is not { } expiresAt || expiresAt > now)
                    ? (row.Revision, row.ExpiresAt, null)
                    : null;
            }

            var etags = new long?[writes.Count];
            var next = 0;
            for (var index = 0; index < writes.Count; index++)
            {
                var write = writes[index];
                var entry = entries[write.Key];
                var holds = write.Precondition.Kind switch
                {
                    StatePreconditionKind.MustMatch => entry is { } live && live.Revision == write.Precondition.ETag,
                    StatePreconditionKind.MustNotExist => entry is null,
                    _ => true,
                };
                if (!holds)
                {
                    throw new ETagMismatchException(index);
                }

                if (write.IsDelete)
                {
                    entries[write.Key] = null;
                    continue;
                }

                var revision = revisions[next++];
                var expires = write.Expiry.Kind switch
                {
                    StateExpiryKind.After => now.AddSeconds(write.Expiry.Seconds),
                    StateExpiryKind.Keep => entry?.ExpiresAt,
                    _ => null,
                };
                entries[write.Key] = (revision, expires, Document(write.Key, write.Value, expires, revision));
                etags[index] = revision;
            }

            foreach (var (key, entry) in entries)
            {
                if (entry is { Document: { } document })
                {
                    session.UpdateRevision(document, document.Version);
                }
                else if (entry is null && stored.ContainsKey(key))
                {
                    session.HardDelete<StateDocument>(key);
                }
            }

            await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return etags;
        }
    }

    private async Task<(Dictionary<string, (long Revision, DateTimeOffset? ExpiresAt)> Stored, long[] Revisions, DateTimeOffset Now)> LockAndReadAsync(
        NpgsqlConnection connection, string[] keys, int revisionCount, CancellationToken cancellationToken)
    {
        var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(lockAndRead[0]) { Parameters = { new NpgsqlParameter<string> { TypedValue = name }, new NpgsqlParameter<string[]> { TypedValue = keys } } },
                new NpgsqlBatchCommand(lockAndRead[1]) { Parameters = { new NpgsqlParameter<string> { TypedValue = name }, new NpgsqlParameter<string[]> { TypedValue = keys } } },
                new NpgsqlBatchCommand(lockAndRead[2]) { Parameters = { new NpgsqlParameter<int> { TypedValue = revisionCount } } },
                new NpgsqlBatchCommand(lockAndRead[3]),
            },
        };
        await using (batch.ConfigureAwait(false))
        {
            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                var stored = new Dictionary<string, (long, DateTimeOffset?)>(StringComparer.Ordinal);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    stored[reader.GetString(0)] = (reader.GetInt64(1), await reader.GetFieldValueAsync<DateTimeOffset?>(2, cancellationToken).ConfigureAwait(false));
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                var revisions = new long[revisionCount];
                for (var index = 0; index < revisionCount && await reader.ReadAsync(cancellationToken).ConfigureAwait(false); index++)
                {
                    revisions[index] = reader.GetInt64(0);
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return (stored, revisions, await reader.GetFieldValueAsync<DateTimeOffset>(0, cancellationToken).ConfigureAwait(false));
            }
        }
    }

    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await documents.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            return await work(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (FindNpgsql(exception) is { } npgsql)
        {
            // The table, the sequence or the whole schema is missing (a schema never applied, or dropped under a running sidecar).
            if (npgsql is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedObject or PostgresErrorCodes.InvalidSchemaName }
                && !cancellationToken.IsCancellationRequested)
            {
                documents.Reset();
                throw RuntimeException.Unavailable(
                    autoCreate == AutoCreate.None
                        ? $"{component}: its tables are missing in PostgreSQL schema '{documents.Schema}' ({PostgresErrors.Reason(npgsql)}) and " +
                          $"{PostgresSettings.AutoCreateKey} is None, so the sidecar does not create them: apply the schema with `busruntime db migrate`."
                        : $"{component}: its tables are missing in PostgreSQL schema '{documents.Schema}' ({PostgresErrors.Reason(npgsql)}); they are created again on the next call.",
                    npgsql);
            }

            throw database.Translate(component, npgsql, cancellationToken);
        }
    }

    private static NpgsqlException? FindNpgsql(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException npgsql)
            {
                return npgsql;
            }
        }

        return null;
    }

    private static StateDocument Document(string key, ReadOnlyMemory<byte> value, DateTimeOffset? expiresAt, long revision)
    {
        var document = new StateDocument { Id = key, ExpiresAt = expiresAt, Version = revision };
        if (IsStorableJson(value.Span))
        {
            using var json = JsonDocument.Parse(value);
            document.Json = json.RootElement.Clone();
            document.Text = Encoding.UTF8.GetString(value.Span);
        }
        else
        {
            document.Bytes = value.ToArray();
        }

        return document;
    }

    private static ReadOnlyMemory<byte> Value(StateDocument document) =>
        document.Text is { } text ? Encoding.UTF8.GetBytes(text) : document.Bytes ?? [];

    /// <summary>
    /// JSON that jsonb can hold: one complete value of valid UTF-8 (so its text reads back byte for byte), and
    /// no string with an escaped NUL (PostgreSQL refuses <c>\u0000</c> in jsonb, and a value must never fail
    /// for being JSON).
    /// </summary>
    private static bool IsStorableJson(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || !Utf8.IsValid(value))
        {
            return false;
        }

        var reader = new Utf8JsonReader(value);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName
                    && reader.ValueIsEscaped
                    && reader.GetString()!.Contains('\0', StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return reader.BytesConsumed == value.Length;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
