using Npgsql;

namespace BusRuntime.Stores.Postgres;

/// <summary>
/// BusRuntime's tables in one schema, shared by every component (rows carry the component's name in
/// <c>store</c>), and their creation: idempotent, and safe when several sidecars start at once.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>
    /// The advisory lock every sidecar takes around the DDL, since even IF NOT EXISTS races on the catalog
    /// (two concurrent CREATE SCHEMA IF NOT EXISTS can fail with a unique violation). The value is "BusRunt1".
    /// </summary>
    public const long MigrationLockKey = 0x4275_7352_756E_7431;

    // A schema made by an earlier version lacks the later relations; creation then adds just those.
    private static readonly string[] Relations =
    [
        "state_etag", "state", "state_expires_at", "locks", "locks_expires_at", "sequences", "configuration_version", "configuration",
        "journal", "journal_recorded_at", "journal_topic", "journal_source_app", "journal_outcome", "journal_message_id",
    ];

    /// <summary>The schema as an SQL identifier (already checked against Names.SchemaPattern, quoted all the same).</summary>
    public static string Quote(string schema) => $"\"{schema}\"";

    /// <summary>Creates whatever is missing; when everything exists it changes nothing, so it needs no CREATE privilege then.</summary>
    public static async Task CreateAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var (schemaExists, complete) = await InspectAsync(connection, transaction, schema, cancellationToken).ConfigureAwait(false);
            if (!complete)
            {
                var batch = new NpgsqlBatch(connection, transaction);
                await using (batch.ConfigureAwait(false))
                {
                    foreach (var statement in Ddl(Quote(schema), schemaExists))
                    {
                        batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
                    }

                    await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<(bool SchemaExists, bool Complete)> InspectAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, CancellationToken cancellationToken)
    {
        // The lock comes first: under READ COMMITTED the catalog query that follows sees what a sidecar
        // that held the lock before committed.
        var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1)") { Parameters = { new NpgsqlParameter<long> { TypedValue = MigrationLockKey } } },
                new NpgsqlBatchCommand(
                    """
                    SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1),
                           (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                            WHERE n.nspname = $1 AND c.relname = ANY($2))
                    """)
                {
                    Parameters =
                    {
                        new NpgsqlParameter<string> { TypedValue = schema },
                        new NpgsqlParameter<string[]> { TypedValue = Relations },
                    },
                },
            },
        };
        await using (batch.ConfigureAwait(false))
        {
            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return (reader.GetBoolean(0), reader.GetInt64(1) == Relations.Length);
            }
        }
    }

    private static IEnumerable<string> Ddl(string schema, bool schemaExists)
    {
        if (!schemaExists)
        {
            yield return $"CREATE SCHEMA IF NOT EXISTS {schema}";
        }

        yield return $"CREATE SEQUENCE IF NOT EXISTS {schema}.state_etag";
        yield return $"""
            CREATE TABLE IF NOT EXISTS {schema}.state (
                store text COLLATE "C" NOT NULL,
                key text COLLATE "C" NOT NULL,
                value bytea NOT NULL,
                etag bigint NOT NULL,
                expires_at timestamptz NULL,
                PRIMARY KEY (store, key))
            """;
        yield return $"CREATE INDEX IF NOT EXISTS state_expires_at ON {schema}.state (store, expires_at) WHERE expires_at IS NOT NULL";
        yield return $"""
            CREATE TABLE IF NOT EXISTS {schema}.locks (
                store text COLLATE "C" NOT NULL,
                resource_id text COLLATE "C" NOT NULL,
                owner text NOT NULL,
                expires_at timestamptz NOT NULL,
                PRIMARY KEY (store, resource_id))
            """;
        yield return $"CREATE INDEX IF NOT EXISTS locks_expires_at ON {schema}.locks (store, expires_at)";
        yield return $"""
            CREATE TABLE IF NOT EXISTS {schema}.sequences (
                store text COLLATE "C" NOT NULL,
                key text COLLATE "C" NOT NULL,
                last_id bigint NOT NULL,
                PRIMARY KEY (store, key))
            """;
        yield return $"CREATE SEQUENCE IF NOT EXISTS {schema}.configuration_version";
        // A deleted item keeps its row with content NULL and a new version (a tombstone), so that a sidecar
        // that missed the delete's event learns of it when it reads the store again.
        yield return $"""
            CREATE TABLE IF NOT EXISTS {schema}.configuration (
                store text COLLATE "C" NOT NULL,
                app_id text COLLATE "C" NOT NULL,
                group_name text COLLATE "C" NOT NULL,
                label text COLLATE "C" NOT NULL,
                key text COLLATE "C" NOT NULL,
                content text NULL,
                tags jsonb NOT NULL,
                metadata jsonb NOT NULL,
                version bigint NOT NULL,
                PRIMARY KEY (store, app_id, group_name, label, key))
            """;
        yield return $"""
            CREATE TABLE IF NOT EXISTS {schema}.journal (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                message_id text COLLATE "C" NOT NULL,
                conversation_id text NULL,
                correlation_id text NULL,
                kind text NOT NULL,
                source_app text COLLATE "C" NULL,
                destination text NULL,
                topic text COLLATE "C" NULL,
                headers jsonb NOT NULL,
                body text NOT NULL,
                recorded_at timestamptz NOT NULL,
                outcome text COLLATE "C" NOT NULL,
                retries integer NOT NULL,
                reason text NULL)
            """;
        // Added after the table's first release: tables created before it get the column here.
        yield return $"ALTER TABLE {schema}.journal ADD COLUMN IF NOT EXISTS body_omitted_bytes integer NULL";
        yield return $"CREATE INDEX IF NOT EXISTS journal_recorded_at ON {schema}.journal (recorded_at)";
        yield return $"CREATE INDEX IF NOT EXISTS journal_topic ON {schema}.journal (topic, recorded_at)";
        yield return $"CREATE INDEX IF NOT EXISTS journal_source_app ON {schema}.journal (source_app, recorded_at)";
        yield return $"CREATE INDEX IF NOT EXISTS journal_outcome ON {schema}.journal (outcome, recorded_at)";
        yield return $"CREATE INDEX IF NOT EXISTS journal_message_id ON {schema}.journal (message_id)";
    }
}
