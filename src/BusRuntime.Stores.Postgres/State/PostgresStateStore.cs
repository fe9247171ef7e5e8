using BusRuntime.Core.State;
using Npgsql;
using NpgsqlTypes;

namespace BusRuntime.Stores.Postgres.State;

/// <summary>
/// State in the table <c>state</c>, one row per live or expired entry, on the database's clock. Each write
/// is one statement that applies only if its precondition holds on the row it locks (so of two writers
/// racing on one etag exactly one wins) and returns a row only then; a batch runs them in order in one
/// transaction and rolls back at the first that returned nothing. Etags come from the sequence
/// <c>state_etag</c>, so one is never reused, not even after a delete.
/// </summary>
internal sealed class PostgresStateStore(PostgresDatabase database, string name) : IStateStore
{
    private readonly string component = $"the state store '{name}'";

    // Parameters of an upsert: $1 store, $2 key, $3 value, $4 TTL in seconds (null: none), $5 keep the live
    // entry's expiry, $6 the etag it must have. An expired row counts as absent everywhere.
    private readonly string upsert = Upsert(database.Schema, "");

    private readonly string insert = Upsert(database.Schema, "WHERE t.expires_at <= clock_timestamp()");

    private readonly string update = $"""
        UPDATE {database.Schema}.state AS t SET value = $3, etag = nextval('{database.Schema}.state_etag'),
            expires_at = CASE WHEN $5 THEN t.expires_at ELSE clock_timestamp() + $4 * interval '1 second' END
        WHERE t.store = $1 AND t.key = $2 AND t.etag = $6 AND (t.expires_at IS NULL OR t.expires_at > clock_timestamp())
        RETURNING t.etag
        """;

    // Parameters of a delete: $1 store, $2 key, $3 the etag it must have.
    private readonly string delete = $"""
        WITH deleted AS (DELETE FROM {database.Schema}.state WHERE store = $1 AND key = $2)
        SELECT NULL::bigint
        """;

    private readonly string deleteIfMatch = $"""
        DELETE FROM {database.Schema}.state
        WHERE store = $1 AND key = $2 AND etag = $3 AND (expires_at IS NULL OR expires_at > clock_timestamp())
        RETURNING NULL::bigint
        """;

    // Deleting what is not there changes nothing visible, expired row or not: this only checks.
    private readonly string deleteIfAbsent = $"""
        SELECT NULL::bigint
        WHERE NOT EXISTS (SELECT FROM {database.Schema}.state WHERE store = $1 AND key = $2 AND (expires_at IS NULL OR expires_at > clock_timestamp()))
        """;

    // Batches that write the same keys in different orders would deadlock (and PostgreSQL detects that
    // only after deadlock_timeout, 1 s by default); locking the existing rows in key order first makes
    // them queue instead. Rows that do not exist yet are not locked, so racing creations may still retry.
    private readonly string lockInKeyOrder = $"""
        SELECT FROM {database.Schema}.state WHERE store = $1 AND key = ANY($2) ORDER BY key FOR UPDATE
        """;

    private readonly string get = $"""
        SELECT key, value, etag, expires_at FROM {database.Schema}.state
        WHERE store = $1 AND key = ANY($2) AND (expires_at IS NULL OR expires_at > now())
        """;

    private readonly string sweep = $"""
        WITH expired AS (
            SELECT key FROM {database.Schema}.state WHERE store = $1 AND expires_at <= now()
            LIMIT $2 FOR UPDATE SKIP LOCKED)
        DELETE FROM {database.Schema}.state AS t USING expired
        WHERE t.store = $1 AND t.key = expired.key AND t.expires_at <= now()
        """;

    public async Task<IReadOnlyDictionary<string, StoredState>> GetAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return new Dictionary<string, StoredState>(StringComparer.Ordinal);
        }

        return await database.RunAsync(
            component,
            async (connection, token) =>
            {
                var command = new NpgsqlCommand(get, connection)
                {
                    Parameters =
                    {
                        new NpgsqlParameter<string> { TypedValue = name },
                        new NpgsqlParameter<string[]> { TypedValue = [.. keys] },
                    },
                };
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        var found = new Dictionary<string, StoredState>(StringComparer.Ordinal);
                        while (await reader.ReadAsync(token).ConfigureAwait(false))
                        {
                            found[reader.GetString(0)] = new StoredState(
                                await reader.GetFieldValueAsync<byte[]>(1, token).ConfigureAwait(false),
                                reader.GetInt64(2),
                                await reader.GetFieldValueAsync<DateTimeOffset?>(3, token).ConfigureAwait(false));
                        }

                        return (IReadOnlyDictionary<string, StoredState>)found;
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

        return await database.RunAsync(component, (connection, token) => ApplyAsync(connection, writes, token), cancellationToken).ConfigureAwait(false);
    }

    public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken) =>
        database.DeleteInBatchesAsync(component, sweep, name, cancellationToken);

    public Task CheckHealthAsync(CancellationToken cancellationToken) => database.CheckHealthAsync(component, cancellationToken);

    private async Task<IReadOnlyList<long?>> ApplyAsync(NpgsqlConnection connection, IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        // One write is one statement, atomic by itself; several share a transaction and one round trip,
        // which disposing without a commit rolls back.
        if (writes.Count == 1)
        {
            return await ExecuteAsync(connection, null, writes, cancellationToken).ConfigureAwait(false);
        }

        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var etags = await ExecuteAsync(connection, transaction, writes, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return etags;
        }
    }

    private async Task<IReadOnlyList<long?>> ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        var batch = new NpgsqlBatch(connection, transaction);
        await using (batch.ConfigureAwait(false))
        {
            var keys = writes.Select(write => write.Key).Distinct(StringComparer.Ordinal).ToArray();
            if (keys.Length > 1)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(lockInKeyOrder)
                {
                    Parameters = { new NpgsqlParameter<string> { TypedValue = name }, new NpgsqlParameter<string[]> { TypedValue = keys } },
                });
            }

            foreach (var write in writes)
            {
                batch.BatchCommands.Add(Command(write));
            }

            var etags = new long?[writes.Count];
            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (keys.Length > 1)
                {
                    await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                }

                for (var index = 0; index < writes.Count; index++)
                {
                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        throw new ETagMismatchException(index);
                    }

                    etags[index] = await reader.GetFieldValueAsync<long?>(0, cancellationToken).ConfigureAwait(false);
                    await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            return etags;
        }
    }

    private NpgsqlBatchCommand Command(StateWrite write)
    {
        var command = new NpgsqlBatchCommand(Sql(write))
        {
            Parameters =
            {
                new NpgsqlParameter<string> { TypedValue = name },
                new NpgsqlParameter<string> { TypedValue = write.Key },
            },
        };
        if (write.IsDelete)
        {
            if (write.Precondition.Kind == StatePreconditionKind.MustMatch)
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = write.Precondition.ETag });
            }

            return command;
        }

        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Bytea, TypedValue = write.Value });
        command.Parameters.Add(new NpgsqlParameter
        {
            NpgsqlDbType = NpgsqlDbType.Integer,
            Value = write.Expiry.Kind == StateExpiryKind.After ? (object)write.Expiry.Seconds : DBNull.Value,
        });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = write.Expiry.Kind == StateExpiryKind.Keep });
        if (write.Precondition.Kind == StatePreconditionKind.MustMatch)
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = write.Precondition.ETag });
        }

        return command;
    }

    private string Sql(StateWrite write) => (write.IsDelete, write.Precondition.Kind) switch
    {
        (true, StatePreconditionKind.MustMatch) => deleteIfMatch,
        (true, StatePreconditionKind.MustNotExist) => deleteIfAbsent,
        (true, _) => delete,
        (false, StatePreconditionKind.MustMatch) => update,
        (false, StatePreconditionKind.MustNotExist) => insert,
        (false, _) => upsert,
    };

    private static string Upsert(string schema, string condition) => $"""
        INSERT INTO {schema}.state AS t (store, key, value, etag, expires_at)
        VALUES ($1, $2, $3, nextval('{schema}.state_etag'), clock_timestamp() + $4 * interval '1 second')
        ON CONFLICT (store, key) DO UPDATE SET value = excluded.value, etag = excluded.etag,
            expires_at = CASE WHEN $5 THEN CASE WHEN t.expires_at > clock_timestamp() THEN t.expires_at END ELSE excluded.expires_at END
        {condition}
        RETURNING t.etag
        """;
}
