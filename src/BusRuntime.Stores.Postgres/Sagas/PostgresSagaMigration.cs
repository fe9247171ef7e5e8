using BusRuntime.Stores.Postgres.Migrations;

namespace BusRuntime.Stores.Postgres.Sagas;

/// <summary>The migration of one saga type's table, applied by its repository on first use or by <c>busruntime db migrate</c>.</summary>
internal static class PostgresSagaMigration
{
    /// <param name="table">The table's name, already checked against <see cref="PostgresSagaRepositoryOptions{TSaga}.TablePattern"/>.</param>
    public static PostgresMigration For(string table) =>
        new(
            $"saga-{table}-0001",
            schema =>
            [
                $"""
                CREATE TABLE IF NOT EXISTS {schema}."{table}" (
                    correlation_id uuid PRIMARY KEY,
                    version integer NOT NULL,
                    current_state text COLLATE "C" NULL,
                    data jsonb NOT NULL,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL)
                """,
                $"CREATE INDEX IF NOT EXISTS \"{table}_updated_at\" ON {schema}.\"{table}\" (updated_at, correlation_id)",
                $"CREATE INDEX IF NOT EXISTS \"{table}_current_state\" ON {schema}.\"{table}\" (current_state, updated_at, correlation_id)",
            ]);
}
