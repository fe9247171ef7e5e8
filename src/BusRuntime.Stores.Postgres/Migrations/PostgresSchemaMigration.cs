using System.Text.RegularExpressions;
using BusRuntime.Stores.Postgres.Sagas;
using BusRuntime.Stores.Postgres.State;
using JasperFx;
using Marten;
using MassTransit;
using Npgsql;

namespace BusRuntime.Stores.Postgres.Migrations;

/// <summary>
/// Everything a PostgreSQL schema needs before a sidecar with <c>BusRuntime:PostgresAutoCreate=None</c> uses it,
/// applied ahead of deploy (<c>busruntime db migrate</c>): BusRuntime's SQL migrations and the saga tables, then
/// Marten's objects for the state documents. All are idempotent, so running it again changes nothing.
/// </summary>
public static class PostgresSchemaMigration
{
    /// <summary>
    /// Applies the schema, with the tables of the saga types in <paramref name="sagaTables"/> (the sidecar's workflow
    /// saga), and reports each step through <paramref name="progress"/>. A bad connection string or
    /// schema throws <see cref="InvalidOperationException"/> naming <paramref name="connectionKey"/> or
    /// <paramref name="schemaKey"/>; a database failure throws <see cref="NpgsqlException"/>.
    /// </summary>
    public static Task MigrateAsync(
        string connectionString,
        string schema,
        IReadOnlyCollection<string> sagaTables,
        string connectionKey,
        string schemaKey,
        Action<string> progress,
        CancellationToken cancellationToken) =>
        MigrateAsync(connectionString, schema, sagaTables, [], connectionKey, schemaKey, progress, cancellationToken);

    /// <summary>
    /// As the other overload, with the state documents indexed on <paramref name="stateQueryIndexes"/>
    /// (BusRuntime:StateQueryIndexes); a bad key throws <see cref="InvalidOperationException"/> naming it.
    /// </summary>
    public static async Task MigrateAsync(
        string connectionString,
        string schema,
        IReadOnlyCollection<string> sagaTables,
        IEnumerable<string> stateQueryIndexes,
        string connectionKey,
        string schemaKey,
        Action<string> progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sagaTables);
        ArgumentNullException.ThrowIfNull(progress);
        if (sagaTables.FirstOrDefault(table => !Regex.IsMatch(table, PostgresSagaRepositoryOptions<ISagaVersion>.TablePattern)) is { } bad)
        {
            throw new InvalidOperationException($"The saga table '{bad}' must match {PostgresSagaRepositoryOptions<ISagaVersion>.TablePattern}.");
        }

        var settings = PostgresSettings.Create(connectionString, schema, connectionKey, schemaKey, AutoCreate.CreateOrUpdate, stateQueryIndexes);
        var dataSource = NpgsqlDataSource.Create(settings.ConnectionString);
        await using (dataSource.ConfigureAwait(false))
        {
            progress($"PostgreSQL {settings.Server}, schema '{settings.Schema}':");
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                IReadOnlyList<PostgresMigration> migrations = [.. StoreMigrations.All, .. sagaTables.Select(PostgresSagaMigration.For)];
                var applied = await PostgresMigrator.MigrateAsync(connection, settings.Schema, migrations, repair: false, cancellationToken).ConfigureAwait(false);
                progress(applied.Count == 0
                    ? $"  BusRuntime's tables: up to date ({migrations.Count} migrations recorded in {PostgresMigrator.HistoryTable})"
                    : $"  BusRuntime's tables: applied {string.Join(", ", applied)}");
            }

            using var store = new DocumentStore(StateDocuments.Options(dataSource, settings.Schema, AutoCreate.CreateOrUpdate, settings.StateQueryIndexes));
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            progress($"  Marten's state documents: {StateDocuments.Table} and the sequence {StateDocuments.RevisionSequence} are in place");
        }
    }
}
