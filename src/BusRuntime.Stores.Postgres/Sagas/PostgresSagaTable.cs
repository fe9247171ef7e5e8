using System.Text.Json;
using BusRuntime.Core.Errors;
using BusRuntime.Stores.Postgres.Migrations;
using JasperFx;
using MassTransit;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace BusRuntime.Stores.Postgres.Sagas;

/// <summary>
/// The table of one saga type: its migration (through <see cref="PostgresMigrator"/>, on the data source the
/// stores use for the same connection string), its statements, the saga's JSON form, and the translation of
/// database failures into the project's error model (<see cref="PostgresDatabase.Translate"/>).
/// </summary>
internal sealed class PostgresSagaTable<TSaga> : IDisposable
    where TSaga : class, ISagaVersion
{
    private readonly PostgresDatabase database;
    private readonly PostgresSagaRepositoryOptions<TSaga> options;
    private readonly ILogger logger;
    private readonly SemaphoreSlim creation = new(1, 1);
    private readonly PostgresMigration migration;
    private volatile bool created;
    private volatile bool repair;

    public PostgresSagaTable(PostgresDatabase database, PostgresSagaRepositoryOptions<TSaga> options, ILogger logger)
    {
        this.database = database;
        this.options = options;
        this.logger = logger;
        Name = $"{options.Schema}.{options.Table}";
        var table = $"\"{options.Schema}\".\"{options.Table}\"";
        migration = PostgresSagaMigration.For(options.Table);
        InsertSql = $"""
            INSERT INTO {table} (correlation_id, version, current_state, data, created_at, updated_at)
            VALUES ($1, $2, $3, $4, clock_timestamp(), clock_timestamp())
            ON CONFLICT (correlation_id) DO NOTHING
            """;
        LoadSql = $"SELECT version, data FROM {table} WHERE correlation_id = $1";
        UpdateSql = $"UPDATE {table} SET version = $3, current_state = $4, data = $5, updated_at = clock_timestamp() WHERE correlation_id = $1 AND version = $2";
        DeleteSql = $"DELETE FROM {table} WHERE correlation_id = $1 AND version = $2";
        const string Columns = "correlation_id, version, current_state, data, created_at, updated_at";
        GetSql = $"SELECT {Columns} FROM {table} WHERE correlation_id = $1";
        ListSql = $"SELECT {Columns} FROM {table} WHERE ($2::text IS NULL OR current_state = $2) AND ($3::jsonb IS NULL OR data @> $3) ORDER BY updated_at DESC, correlation_id DESC LIMIT $1";
    }

    /// <summary>schema.table, for messages and logs.</summary>
    public string Name { get; }

    public string InsertSql { get; }

    public string LoadSql { get; }

    public string UpdateSql { get; }

    public string DeleteSql { get; }

    /// <summary>Reads one row as <see cref="ReadInstance"/> expects it.</summary>
    public string GetSql { get; }

    /// <summary>
    /// $1: the limit, $2: the state or null, $3: a JSON object the data contains, or null; rows as <see cref="ReadInstance"/>
    /// expects them.
    /// </summary>
    public string ListSql { get; }

    /// <summary>Opens a connection once the table exists; the caller disposes it.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        return await database.OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one read on a connection of its own, with failures translated by <see cref="Translate"/>.</summary>
    public async Task<T> ReadAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await read(connection, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException exception)
        {
            throw Translate(exception, cancellationToken);
        }
    }

    /// <summary>A database failure in the project's terms, as the stores report them; a missing table is created again on the next use.</summary>
    public Exception Translate(NpgsqlException exception, CancellationToken cancellationToken)
    {
        if (exception is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable })
        {
            repair = true;
            created = false;
        }

        return database.Translate($"saga table {Name}", exception, cancellationToken);
    }

    public string? StateOf(TSaga saga) => options.CurrentState(saga);

    public string Serialize(TSaga saga) => JsonSerializer.Serialize(saga, options.SerializerOptions);

    /// <summary>The saga from its row; the version column, not the JSON, says which version it is.</summary>
    public TSaga Deserialize(Guid correlationId, int version, string data)
    {
        TSaga? saga;
        try
        {
            saga = JsonSerializer.Deserialize<TSaga>(data, options.SerializerOptions);
        }
        catch (JsonException exception)
        {
            // A row written by another version of the saga type: only an operator can fix it, and retrying will not.
            throw RuntimeException.Internal($"Saga table {Name}: the row of {correlationId} cannot be read as a {typeof(TSaga).Name}: {exception.Message}", exception);
        }

        if (saga is null)
        {
            throw RuntimeException.Internal($"Saga table {Name}: the row of {correlationId} holds JSON null instead of a {typeof(TSaga).Name}.");
        }

        saga.CorrelationId = correlationId;
        saga.Version = version;
        return saga;
    }

    /// <summary>A row of <see cref="GetSql"/> or <see cref="ListSql"/>.</summary>
    public PostgresSagaInstance<TSaga> ReadInstance(NpgsqlDataReader reader)
    {
        var correlationId = reader.GetGuid(0);
        var version = reader.GetInt32(1);
        return new PostgresSagaInstance<TSaga>(
            correlationId,
            version,
            reader.IsDBNull(2) ? null : reader.GetString(2),
            Deserialize(correlationId, version, reader.GetString(3)),
            reader.GetFieldValue<DateTimeOffset>(4),
            reader.GetFieldValue<DateTimeOffset>(5));
    }

    public static NpgsqlParameter<string> Json(string json) => new() { TypedValue = json, NpgsqlDbType = NpgsqlDbType.Jsonb };

    public static NpgsqlParameter NullableText(string? text) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)text ?? DBNull.Value };

    public void Dispose() => creation.Dispose();

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (created)
        {
            return;
        }

        await creation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!created)
            {
                var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    if (database.AutoCreate == AutoCreate.None)
                    {
                        if ((await PostgresMigrator.MissingAsync(connection, options.Schema, [migration], cancellationToken).ConfigureAwait(false)).Count > 0)
                        {
                            throw RuntimeException.Unavailable(
                                $"The saga table {Name} of {typeof(TSaga).Name} is missing and {PostgresSettings.AutoCreateKey} is None, so the sidecar creates nothing: apply it with `busruntime db migrate`.");
                        }
                    }
                    else
                    {
                        await PostgresMigrator.MigrateAsync(connection, options.Schema, [migration], repair, cancellationToken).ConfigureAwait(false);
                    }
                }

                created = true;
                repair = false;
                Log.TableReady(logger, Name, typeof(TSaga).Name);
            }
        }
        finally
        {
            creation.Release();
        }
    }
}
