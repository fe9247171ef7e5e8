using Npgsql;

namespace BusRuntime.Stores.Postgres.Migrations;

/// <summary>
/// The one way BusRuntime changes a PostgreSQL schema: the steps a schema lacks, in order, each in the same
/// transaction as its row in <c>schema_migrations</c>, under an advisory lock so that sidecars starting at once
/// apply each step once. When every step is recorded it only reads, so it needs no CREATE privilege then. A
/// repair runs every step again (they are idempotent), for a table dropped under a running sidecar.
/// </summary>
internal static class PostgresMigrator
{
    /// <summary>
    /// The advisory lock every sidecar takes around the DDL, since even IF NOT EXISTS races on the catalog
    /// (two concurrent CREATE SCHEMA IF NOT EXISTS can fail with a unique violation). The value is "BusRunt1".
    /// </summary>
    public const long LockKey = 0x4275_7352_756E_7431;

    /// <summary>The table that records the applied steps of a schema.</summary>
    public const string HistoryTable = "schema_migrations";

    /// <summary>The schema as an SQL identifier (already checked against Names.SchemaPattern, quoted all the same).</summary>
    public static string Quote(string schema) => $"\"{schema}\"";

    /// <summary>
    /// Applies the steps of <paramref name="migrations"/> that <paramref name="schema"/> lacks (all of them when
    /// <paramref name="repair"/>) and returns their ids.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(
        NpgsqlConnection connection, string schema, IReadOnlyList<PostgresMigration> migrations, bool repair, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var applied = await AppliedAsync(connection, transaction, schema, cancellationToken).ConfigureAwait(false);
            var missing = migrations.Where(migration => repair || applied is null || !applied.Contains(migration.Id)).ToList();
            if (missing.Count > 0)
            {
                var quoted = Quote(schema);
                var batch = new NpgsqlBatch(connection, transaction);
                await using (batch.ConfigureAwait(false))
                {
                    if (applied is null || repair)
                    {
                        batch.BatchCommands.Add(new NpgsqlBatchCommand($"CREATE SCHEMA IF NOT EXISTS {quoted}"));
                        batch.BatchCommands.Add(new NpgsqlBatchCommand(
                            $"CREATE TABLE IF NOT EXISTS {quoted}.{HistoryTable} (id text COLLATE \"C\" PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"));
                    }

                    foreach (var migration in missing)
                    {
                        foreach (var statement in migration.Statements(quoted))
                        {
                            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
                        }

                        batch.BatchCommands.Add(new NpgsqlBatchCommand($"INSERT INTO {quoted}.{HistoryTable} (id) VALUES ($1) ON CONFLICT (id) DO NOTHING")
                        {
                            Parameters = { new NpgsqlParameter<string> { TypedValue = migration.Id } },
                        });
                    }

                    await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return [.. missing.Select(migration => migration.Id)];
        }
    }

    /// <summary>The ids of <paramref name="migrations"/> that <paramref name="schema"/> has not recorded; it changes nothing.</summary>
    public static async Task<IReadOnlyList<string>> MissingAsync(
        NpgsqlConnection connection, string schema, IReadOnlyList<PostgresMigration> migrations, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var applied = await AppliedAsync(connection, transaction, schema, cancellationToken).ConfigureAwait(false);
            return [.. migrations.Where(migration => applied is null || !applied.Contains(migration.Id)).Select(migration => migration.Id)];
        }
    }

    /// <summary>The ids recorded in the schema's history, or null when it has no history table yet.</summary>
    private static async Task<HashSet<string>?> AppliedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, CancellationToken cancellationToken)
    {
        // The lock comes first: under READ COMMITTED what follows sees what a sidecar that held it before committed.
        var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1)") { Parameters = { new NpgsqlParameter<long> { TypedValue = LockKey } } },
                new NpgsqlBatchCommand("SELECT to_regclass($1) IS NOT NULL")
                {
                    Parameters = { new NpgsqlParameter<string> { TypedValue = $"{Quote(schema)}.{HistoryTable}" } },
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
                if (!reader.GetBoolean(0))
                {
                    return null;
                }
            }
        }

        var select = new NpgsqlCommand($"SELECT id FROM {Quote(schema)}.{HistoryTable}", connection, transaction);
        await using (select.ConfigureAwait(false))
        {
            var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var ids = new HashSet<string>(StringComparer.Ordinal);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    ids.Add(reader.GetString(0));
                }

                return ids;
            }
        }
    }
}
