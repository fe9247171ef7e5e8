using BusRuntime.Core.Errors;
using BusRuntime.Core.Resilience;
using BusRuntime.Stores.Postgres.Migrations;
using BusRuntime.Stores.Postgres.State;
using JasperFx;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.DependencyInjection;
using Polly.Retry;

namespace BusRuntime.Stores.Postgres;

/// <summary>
/// BusRuntime's schema on one pooled data source. It migrates the schema (<see cref="StoreMigrations"/>) on
/// first use, and again on the next call when that failed, since the database may come up after the sidecar;
/// it runs every unit of work of the stores in that schema: on a pooled connection, again after a deadlock or
/// serialization failure (<see cref="ResiliencePipelines.Postgres"/> of its schema), and with failures reported
/// in the project's terms (<see cref="Translate"/>).
/// </summary>
internal sealed class PostgresDatabase(NpgsqlDataSource dataSource, PostgresSettings settings, ResiliencePipeline retry, ILogger logger)
    : IDisposable
{
    /// <summary>Rows one statement of a sweep deletes at most.</summary>
    public const int SweepBatchSize = 1000;

    private readonly SemaphoreSlim creation = new(1, 1);
    private readonly Lazy<StateDocuments> stateDocuments = new(() => new StateDocuments(dataSource, settings.Schema, settings.AutoCreate, settings.StateQueryIndexes));
    private volatile bool created;
    private volatile bool repair;

    /// <summary>The schema as an SQL identifier, for the stores' statements.</summary>
    public string Schema { get; } = PostgresMigrator.Quote(settings.Schema);

    /// <summary>The schema's name, unquoted.</summary>
    public string SchemaName => settings.Schema;

    /// <summary>Whether the sidecar creates what the schema lacks, or leaves it to <c>busruntime db migrate</c>.</summary>
    public AutoCreate AutoCreate => settings.AutoCreate;

    /// <summary>
    /// Runs <paramref name="work"/> on a connection of its own, after making sure the tables exist. The
    /// work must be one transaction (or one statement), since a deadlock runs it again from the start.
    /// </summary>
    public async Task<T> RunAsync<T>(string component, Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            return await retry.ExecuteAsync(
                static async (state, token) =>
                {
                    var connection = await state.Database.OpenAsync(token).ConfigureAwait(false);
                    await using (connection.ConfigureAwait(false))
                    {
                        return await state.work(connection, token).ConfigureAwait(false);
                    }
                },
                (Database: this, work),
                cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw Translate(component, exception, cancellationToken);
        }
    }

    /// <summary>
    /// A database failure of <paramref name="component"/>'s work in the project's terms: the caller's cancellation
    /// stays one; UNAVAILABLE when PostgreSQL cannot serve; ABORTED for deadlocks and serialization failures that
    /// kept happening (nothing was applied); UNAVAILABLE for a missing table (the schema is migrated again on the
    /// next call); INTERNAL for a refusal only an operator can fix.
    /// </summary>
    public Exception Translate(string component, NpgsqlException exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (cancellationToken.IsCancellationRequested)
        {
            // The caller's deadline broke the connection: that is the deadline's failure, not the database's.
            return new OperationCanceledException($"The call to {component} was cancelled.", exception, cancellationToken);
        }

        if (PostgresErrors.IsUnavailable(exception))
        {
            var ssl = settings.SslRequirement is { } requirement && PostgresErrors.IsSslFailure(exception) ? $" ({requirement})" : "";
            return RuntimeException.Unavailable($"PostgreSQL is unreachable for {component}: {PostgresErrors.Reason(exception)}{ssl}", exception);
        }

        if (exception is PostgresException postgres && PostgresErrors.IsRetryable(postgres))
        {
            return RuntimeException.Aborted($"{component}: the transaction kept conflicting with concurrent ones ({PostgresErrors.Reason(exception)}); nothing was applied, try again.");
        }

        if (exception is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable })
        {
            // Someone dropped the tables under a running sidecar: the next call runs every step again.
            repair = true;
            created = false;
            return RuntimeException.Unavailable(
                settings.AutoCreate == AutoCreate.None
                    ? $"{component}: its tables are missing ({PostgresErrors.Reason(exception)}) and {PostgresSettings.AutoCreateKey} is None: apply them with `busruntime db migrate`."
                    : $"{component}: its tables are missing ({PostgresErrors.Reason(exception)}); they are created again on the next call.",
                exception);
        }

        return RuntimeException.Internal($"PostgreSQL refused the work of {component}: {PostgresErrors.Reason(exception)}", exception);
    }

    /// <summary>
    /// Runs a delete of at most <see cref="SweepBatchSize"/> rows (parameters: $1 <paramref name="key"/>, such as
    /// the component's name or a cut-off time, $2 the batch size) until a batch deletes fewer, and says how many
    /// rows went: small batches, each its own transaction, keep row locks short on a large table.
    /// </summary>
    public Task<int> DeleteInBatchesAsync<TKey>(string component, string sql, TKey key, CancellationToken cancellationToken) =>
        RunAsync(
            component,
            async (connection, token) =>
            {
                var deleted = 0;
                int batch;
                do
                {
                    var command = new NpgsqlCommand(sql, connection)
                    {
                        Parameters =
                        {
                            new NpgsqlParameter<TKey> { TypedValue = key },
                            new NpgsqlParameter<int> { TypedValue = SweepBatchSize },
                        },
                    };
                    await using (command.ConfigureAwait(false))
                    {
                        batch = await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                    }

                    deleted += batch;
                }
                while (batch == SweepBatchSize);

                return deleted;
            },
            cancellationToken);

    /// <summary>Completes when the tables exist and the database answers; throws UNAVAILABLE naming the component otherwise.</summary>
    public Task CheckHealthAsync(string component, CancellationToken cancellationToken) =>
        RunAsync(
            component,
            static async (connection, token) =>
            {
                var command = new NpgsqlCommand("SELECT 1", connection);
                await using (command.ConfigureAwait(false))
                {
                    return await command.ExecuteScalarAsync(token).ConfigureAwait(false);
                }
            },
            cancellationToken);

    /// <summary>Marten's state documents in this schema, on the same data source.</summary>
    public StateDocuments StateDocuments => stateDocuments.Value;

    public void Dispose()
    {
        creation.Dispose();
        if (stateDocuments.IsValueCreated)
        {
            stateDocuments.Value.Dispose();
        }
    }

    /// <summary>Makes sure the tables exist (or, without auto-creation, that they were migrated), for work that cannot go through <see cref="RunAsync"/>.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
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
                var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    if (settings.AutoCreate == AutoCreate.None)
                    {
                        var missing = await PostgresMigrator.MissingAsync(connection, settings.Schema, StoreMigrations.All, cancellationToken).ConfigureAwait(false);
                        if (missing.Count > 0)
                        {
                            throw RuntimeException.Unavailable(
                                $"PostgreSQL schema '{settings.Schema}' on {settings.Server} lacks BusRuntime's migrations {string.Join(", ", missing)} and " +
                                $"{PostgresSettings.AutoCreateKey} is None, so the sidecar creates nothing: apply them with `busruntime db migrate`.");
                        }

                        created = true;
                        repair = false;
                        return;
                    }

                    var applied = await PostgresMigrator.MigrateAsync(connection, settings.Schema, StoreMigrations.All, repair, cancellationToken).ConfigureAwait(false);
                    Log.SchemaReady(logger, settings.Schema, settings.Server, applied.Count == 0 ? "none" : string.Join(", ", applied));
                }

                created = true;
                repair = false;
            }
        }
        finally
        {
            creation.Release();
        }
    }

    /// <summary>
    /// Opens a connection of the pool; the caller disposes it. For work of tables that are not the stores' (a
    /// saga's table, which migrates itself) and cannot be run again from the start; its database failures go
    /// through <see cref="Translate"/>.
    /// </summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var opening = dataSource.OpenConnectionAsync(cancellationToken).AsTask();
        try
        {
            return await opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!opening.IsCompleted)
        {
            // Npgsql stops waiting for a silent server's first answer only at the connect timeout, whatever
            // the token says. The caller's deadline goes first; a connection that opens late goes back to
            // the pool, and a late failure is observed here rather than reported as unobserved.
            _ = opening.ContinueWith(
                static task =>
                {
                    if (task.IsCompletedSuccessfully)
                    {
                        task.Result.Dispose();
                    }
                    else
                    {
                        _ = task.Exception;
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>The retry of a schema's transactions (the context's key names the schema): a few times, soon, with jitter.</summary>
    public static void ConfigureRetry(ResiliencePipelineBuilder builder, AddResiliencePipelineContext<ResiliencePipelineKey> context)
    {
        var schema = context.PipelineKey.Target;
        var logger = context.ServiceProvider.GetRequiredService<ILogger<PostgresDatabase>>();
        builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<PostgresException>(PostgresErrors.IsRetryable),
            MaxRetryAttempts = 4,
            Delay = TimeSpan.FromMilliseconds(20),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            OnRetry = arguments =>
            {
                if (arguments.Outcome.Exception is PostgresException exception)
                {
                    Log.TransactionRetried(logger, schema, exception.SqlState, arguments.AttemptNumber + 1);
                }

                return ValueTask.CompletedTask;
            },
        });
    }
}
