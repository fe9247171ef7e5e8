using BusRuntime.Stores.Postgres.State;
using JasperFx;
using Marten;
using Npgsql;

namespace BusRuntime.Stores.Postgres.Migrations;

/// <summary>
/// Everything a PostgreSQL schema needs before a sidecar with <c>BusRuntime:PostgresAutoCreate=None</c> uses it,
/// applied ahead of deploy (<c>busruntime db migrate</c>): BusRuntime's SQL migrations, then Marten's objects
/// for the state documents. Both are idempotent, so running it again changes nothing.
/// </summary>
public static class PostgresSchemaMigration
{
    /// <summary>
    /// Applies the schema and reports each step through <paramref name="progress"/>. A bad connection string or
    /// schema throws <see cref="InvalidOperationException"/> naming <paramref name="connectionKey"/> or
    /// <paramref name="schemaKey"/>; a database failure throws <see cref="NpgsqlException"/>.
    /// </summary>
    public static async Task MigrateAsync(
        string connectionString, string schema, string connectionKey, string schemaKey, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var settings = PostgresSettings.Create(connectionString, schema, connectionKey, schemaKey);
        var dataSource = NpgsqlDataSource.Create(settings.ConnectionString);
        await using (dataSource.ConfigureAwait(false))
        {
            progress($"PostgreSQL {settings.Server}, schema '{settings.Schema}':");
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var applied = await PostgresMigrator.MigrateAsync(connection, settings.Schema, StoreMigrations.All, repair: false, cancellationToken).ConfigureAwait(false);
                progress(applied.Count == 0
                    ? $"  BusRuntime's tables: up to date ({StoreMigrations.All.Count} migrations recorded in {PostgresMigrator.HistoryTable})"
                    : $"  BusRuntime's tables: applied {string.Join(", ", applied)}");
            }

            using var store = new DocumentStore(StateDocuments.Options(dataSource, settings.Schema, AutoCreate.CreateOrUpdate));
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            progress($"  Marten's state documents: {StateDocuments.Table} and the sequence {StateDocuments.RevisionSequence} are in place");
        }
    }
}
