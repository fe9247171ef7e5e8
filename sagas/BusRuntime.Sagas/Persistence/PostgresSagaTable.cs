using System.Text.Json;
using BusRuntime.Core.Errors;
using BusRuntime.Stores.Postgres;
using MassTransit;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace BusRuntime.Sagas.Persistence;

/// <summary>
/// The table of one saga type: its creation (idempotent, under an advisory lock, again on the next use when it
/// failed), its statements, the saga's JSON form, and the translation of database failures into the
/// project's error model.
/// </summary>
internal sealed class PostgresSagaTable<TSaga> : IAsyncDisposable, IDisposable
    where TSaga : class, ISagaVersion
{
    /// <summary>
    /// Every saga table's DDL runs under this transaction-level advisory lock, since even IF NOT EXISTS races on
    /// the catalog when two sidecars create the same table at once. The value is "BusSaga1".
    /// </summary>
    public const long CreationLockKey = 0x4275_7353_6167_6131;

    private readonly NpgsqlDataSource dataSource;
    private readonly bool ownsDataSource;
    private readonly PostgresSagaRepositoryOptions<TSaga> options;
    private readonly ILogger logger;
    private readonly SemaphoreSlim creation = new(1, 1);
    private readonly string[] relations;
    private volatile bool created;

    public PostgresSagaTable(NpgsqlDataSource dataSource, bool ownsDataSource, PostgresSagaRepositoryOptions<TSaga> options, ILogger logger)
    {
        this.dataSource = dataSource;
        this.ownsDataSource = ownsDataSource;
        this.options = options;
        this.logger = logger;
        Name = $"{options.Schema}.{options.Table}";
        var table = $"\"{options.Schema}\".\"{options.Table}\"";
        relations = [options.Table, $"{options.Table}_pkey", $"{options.Table}_updated_at", $"{options.Table}_current_state"];
        Ddl =
        [
            $"""
            CREATE TABLE IF NOT EXISTS {table} (
                correlation_id uuid PRIMARY KEY,
                version integer NOT NULL,
                current_state text COLLATE "C" NULL,
                data jsonb NOT NULL,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL)
            """,
            $"CREATE INDEX IF NOT EXISTS \"{relations[2]}\" ON {table} (updated_at, correlation_id)",
            $"CREATE INDEX IF NOT EXISTS \"{relations[3]}\" ON {table} (current_state, updated_at, correlation_id)",
        ];
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
        ListSql = $"SELECT {Columns} FROM {table} ORDER BY updated_at DESC, correlation_id DESC LIMIT $1";
        ListInStateSql = $"SELECT {Columns} FROM {table} WHERE current_state = $2 ORDER BY updated_at DESC, correlation_id DESC LIMIT $1";
    }

    /// <summary>schema.table, for messages and logs.</summary>
    public string Name { get; }

    public string InsertSql { get; }

    public string LoadSql { get; }

    public string UpdateSql { get; }

    public string DeleteSql { get; }

    /// <summary>Reads one row as <see cref="ReadInstance"/> expects it.</summary>
    public string GetSql { get; }

    /// <summary>$1: the limit; rows as <see cref="ReadInstance"/> expects them.</summary>
    public string ListSql { get; }

    /// <summary>$1: the limit, $2: the state; rows as <see cref="ReadInstance"/> expects them.</summary>
    public string ListInStateSql { get; }

    private string[] Ddl { get; }

    /// <summary>Opens a connection once the table exists; the caller disposes it.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        return await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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
        catch (Exception exception) when (IsDatabaseFailure(exception))
        {
            throw Translate(exception, cancellationToken);
        }
    }

    public static bool IsDatabaseFailure(Exception exception) => exception is NpgsqlException;

    /// <summary>
    /// A database failure in the project's terms, as the stores report them: UNAVAILABLE when PostgreSQL cannot
    /// serve (the message is then retried or faulted, never acknowledged), ABORTED for a deadlock or
    /// serialization failure, INTERNAL for a refusal only an operator can fix; the caller's cancellation stays one.
    /// </summary>
    public Exception Translate(Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException($"The work on saga table {Name} was cancelled.", exception, cancellationToken);
        }

        if (PostgresErrors.IsUnavailable(exception))
        {
            return RuntimeException.Unavailable($"PostgreSQL is unreachable for saga table {Name}: {PostgresErrors.Reason(exception)}", exception);
        }

        if (PostgresErrors.IsRetryable(exception))
        {
            return new RuntimeException(
                ErrorCode.Aborted,
                $"Saga table {Name}: the transaction conflicted with a concurrent one ({PostgresErrors.Reason(exception)}); nothing was saved, try again.",
                exception);
        }

        if (exception is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable })
        {
            // Someone dropped the table under a running sidecar: create it again on the next use.
            created = false;
            return RuntimeException.Unavailable($"Saga table {Name} is missing ({PostgresErrors.Reason(exception)}); it is created again on the next use.", exception);
        }

        return RuntimeException.Internal($"PostgreSQL refused the work on saga table {Name}: {PostgresErrors.Reason(exception)}", exception);
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

    /// <summary>A row of <see cref="GetSql"/>, <see cref="ListSql"/> or <see cref="ListInStateSql"/>.</summary>
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

    public async ValueTask DisposeAsync()
    {
        creation.Dispose();
        if (ownsDataSource)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        creation.Dispose();
        if (ownsDataSource)
        {
            dataSource.Dispose();
        }
    }

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
                await CreateAsync(cancellationToken).ConfigureAwait(false);
                created = true;
                Log.TableReady(logger, Name, typeof(TSaga).Name);
            }
        }
        finally
        {
            creation.Release();
        }
    }

    /// <summary>Creates whatever is missing; when everything exists it changes nothing, so it needs no CREATE privilege then.</summary>
    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // The lock comes first: under READ COMMITTED the catalog query that follows sees what a sidecar
                // that held the lock before committed.
                var inspect = new NpgsqlBatch(connection, transaction)
                {
                    BatchCommands =
                    {
                        new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1)") { Parameters = { new NpgsqlParameter<long> { TypedValue = CreationLockKey } } },
                        new NpgsqlBatchCommand(
                            """
                            SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1),
                                   (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                    WHERE n.nspname = $1 AND c.relname = ANY($2))
                            """)
                        {
                            Parameters =
                            {
                                new NpgsqlParameter<string> { TypedValue = options.Schema },
                                new NpgsqlParameter<string[]> { TypedValue = relations },
                            },
                        },
                    },
                };
                bool schemaExists;
                bool complete;
                await using (inspect.ConfigureAwait(false))
                {
                    var reader = await inspect.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                        schemaExists = reader.GetBoolean(0);
                        complete = reader.GetInt64(1) == relations.Length;
                    }
                }

                if (!complete)
                {
                    var batch = new NpgsqlBatch(connection, transaction);
                    await using (batch.ConfigureAwait(false))
                    {
                        if (!schemaExists)
                        {
                            batch.BatchCommands.Add(new NpgsqlBatchCommand($"CREATE SCHEMA IF NOT EXISTS \"{options.Schema}\""));
                        }

                        foreach (var statement in Ddl)
                        {
                            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
                        }

                        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
