using System.Text;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Journal;
using BusRuntime.Core.State;
using BusRuntime.Stores.Postgres;
using BusRuntime.Stores.Postgres.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace BusRuntime.Stores.Tests;

/// <summary>
/// Creating the tables (on first use, once, whoever else starts at the same time, and again after a
/// failure) and running the stores' work: again after a deadlock, UNAVAILABLE when the server cannot serve.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDatabaseTests(PostgresFixture postgres)
{
    /// <summary>
    /// Eight tables and their primary keys (the files' two and the jobs' among them), two expiry indexes, the jobs' due
    /// index, six journal indexes, three
    /// sequences (the etag, the configuration version and the journal's identity), and the migration history with its
    /// primary key.
    /// </summary>
    private const long Relations = 30;

    /// <summary>What Marten's state documents add: their table, its primary key and expiry index, and the revision sequence.</summary>
    private const long StateDocumentRelations = 4;

    [Fact]
    public async Task CheckHealthAsync_FreshSchema_CreatesTheTables()
    {
        await using var sidecar = postgres.StartSidecar();
        var store = sidecar.Lock();
        Assert.Equal(0, await postgres.RelationCountAsync(sidecar.Schema));

        await store.CheckHealthAsync(CancellationToken.None);

        Assert.Equal(Relations, await postgres.RelationCountAsync(sidecar.Schema));
    }

    [Fact]
    public async Task CheckHealthAsync_TablesExist_KeepsThemAndTheirRows()
    {
        await using var first = postgres.StartSidecar();
        var etag = (await first.State().ApplyAsync([StateWrite.Upsert("k", Encoding.UTF8.GetBytes("v"), StatePrecondition.None, StateExpiry.Never)], CancellationToken.None))[0];
        await using var second = postgres.StartSidecar(first.Schema);

        await second.State().CheckHealthAsync(CancellationToken.None);
        await second.Lock().CheckHealthAsync(CancellationToken.None);

        Assert.Equal(Relations + StateDocumentRelations, await postgres.RelationCountAsync(first.Schema));
        Assert.Equal(etag, (await second.State().GetAsync(["k"], CancellationToken.None))["k"].ETag);
    }

    [Fact]
    public async Task CheckHealthAsync_SchemaFromBeforeTheMigrationHistory_AddsWhatIsMissingRecordsEveryStepAndKeepsTheRows()
    {
        await using var first = postgres.StartSidecar();
        var etag = (await first.State().ApplyAsync([StateWrite.Upsert("k", Encoding.UTF8.GetBytes("v"), StatePrecondition.None, StateExpiry.Never)], CancellationToken.None))[0];
        await first.Lock().CheckHealthAsync(CancellationToken.None);
        await ExecuteAsync($"DROP TABLE \"{first.Schema}\".schema_migrations; DROP TABLE \"{first.Schema}\".configuration; DROP SEQUENCE \"{first.Schema}\".configuration_version");

        await using var upgraded = postgres.StartSidecar(first.Schema);
        await upgraded.Configuration().CheckHealthAsync(CancellationToken.None);

        Assert.Equal(Relations + StateDocumentRelations, await postgres.RelationCountAsync(first.Schema));
        Assert.Equal(etag, (await upgraded.State().GetAsync(["k"], CancellationToken.None))["k"].ETag);
        Assert.Equal(StoreMigrations.All.Select(migration => migration.Id), await HistoryAsync(first.Schema));
    }

    [Fact]
    public async Task CheckHealthAsync_HistoryOfAnEarlierVersion_AppliesOnlyTheLaterSteps()
    {
        await using var first = postgres.StartSidecar();
        await first.Lock().CheckHealthAsync(CancellationToken.None);
        var (beforeLast, last) = (StoreMigrations.All[^2].Id, StoreMigrations.All[^1].Id);
        // An earlier version's schema: the last two steps (files, jobs) neither applied nor recorded, and the first step's
        // table missing, which a step that ran again would have created.
        await ExecuteAsync(
            $"DELETE FROM \"{first.Schema}\".schema_migrations WHERE id IN ('{beforeLast}', '{last}'); DROP TABLE \"{first.Schema}\".files, \"{first.Schema}\".file_chunks, \"{first.Schema}\".jobs; DROP TABLE \"{first.Schema}\".sequences");

        await using var upgraded = postgres.StartSidecar(first.Schema);
        await upgraded.Lock().CheckHealthAsync(CancellationToken.None);

        Assert.Equal(StoreMigrations.All.Select(migration => migration.Id), await HistoryAsync(first.Schema));
        Assert.True(await ExistsAsync($"SELECT count(*) FROM pg_tables WHERE schemaname = '{first.Schema}' AND tablename = 'file_chunks'"));
        Assert.False(await ExistsAsync($"SELECT count(*) FROM pg_tables WHERE schemaname = '{first.Schema}' AND tablename = 'sequences'"));
    }

    [Fact]
    public async Task CheckHealthAsync_JournalFromBeforeTheDestinationApp_KeepsItsRowsFoundByTheirSourceAndNewDeliveriesByTheirApp()
    {
        await using var first = postgres.StartSidecar();
        await first.Lock().CheckHealthAsync(CancellationToken.None);
        var schema = first.Schema;
        // A journal as the version before wrote it: no destination_app column.
        await ExecuteAsync(
            $"DELETE FROM \"{schema}\".schema_migrations WHERE id = '0004-journal-destination-app'; ALTER TABLE \"{schema}\".journal DROP COLUMN destination_app; "
            + $"INSERT INTO \"{schema}\".journal (message_id, kind, source_app, destination, headers, body, recorded_at, outcome, retries) VALUES "
            + "('before', 'topic-event', 'shop', 'rabbitmq://127.0.0.1/busruntime.app.billing.pubsub.orders', '{}', '', now(), 'delivered', 0)");

        await using var upgraded = postgres.StartSidecar(schema);
        var journal = upgraded.Journal();
        await journal.AppendAsync(
            [new JournalEntry
            {
                MessageId = "after",
                Kind = "topic-event",
                SourceAppId = "shop",
                DestinationAddress = "rabbitmq://127.0.0.1/busruntime.app.billing.pubsub.orders",
                RecordedAt = DateTimeOffset.UtcNow,
                Outcome = JournalOutcome.Delivered,
            }],
            CancellationToken.None);
        var billing = await journal.QueryAsync(new JournalQuery(null, null, null, null, 10) { AppId = "billing" }, CancellationToken.None);
        var shop = await journal.QueryAsync(new JournalQuery(null, null, null, null, 10) { AppId = "shop" }, CancellationToken.None);

        Assert.Equal(["after"], billing.Select(entry => entry.MessageId));
        Assert.Equal(["after", "before"], shop.Select(entry => entry.MessageId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RunAsync_OneTableDroppedUnderARunningSidecar_UnavailableThenCreatedAgain()
    {
        await using var databases = new PostgresDatabases(NullLoggerFactory.Instance, PostgresPipelines.Provider);
        var settings = Settings();
        var database = databases.Get(settings);
        await database.CheckHealthAsync("the state store 'statestore'", CancellationToken.None);
        await ExecuteAsync($"DROP TABLE \"{settings.Schema}\".state");

        var missing = await Assert.ThrowsAsync<RuntimeException>(() => database.RunAsync(
            "the state store 'statestore'", Count(settings.Schema), CancellationToken.None));
        var count = await database.RunAsync("the state store 'statestore'", Count(settings.Schema), CancellationToken.None);

        Assert.Equal(ErrorCode.Unavailable, missing.Code);
        Assert.Equal(0L, count);
        Assert.Equal(Relations, await postgres.RelationCountAsync(settings.Schema));
    }

    [Fact]
    public async Task CheckHealthAsync_ManySidecarsStartingAtOnce_AllSucceed()
    {
        var schema = postgres.NewSchema();
        var sidecars = Enumerable.Range(0, 8).Select(_ => postgres.StartSidecar(schema)).ToList();
        try
        {
            await Task.WhenAll(sidecars.Select(sidecar => Task.Run(() => sidecar.Sequencer().CheckHealthAsync(CancellationToken.None))));

            Assert.Equal(Relations, await postgres.RelationCountAsync(schema));
            var ids = await Task.WhenAll(sidecars.Select(sidecar => sidecar.Sequencer().ReserveAsync("k", 1, CancellationToken.None)));
            Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], ids.Order());
        }
        finally
        {
            foreach (var sidecar in sidecars)
            {
                await sidecar.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task CheckHealthAsync_CreationFailedBefore_TriesAgain()
    {
        await using var sidecar = postgres.StartSidecar();
        var store = sidecar.Lock();
        await using (var connection = await postgres.Admin.OpenConnectionAsync())
        {
            // Another sidecar "creating the tables" for longer than the first call may wait.
            await AdvisoryLockAsync(connection, "pg_advisory_lock");
            using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CheckHealthAsync(deadline.Token));
            Assert.Equal(0, await postgres.RelationCountAsync(sidecar.Schema));

            // A session lock outlives the pooled connection's return to the pool.
            await AdvisoryLockAsync(connection, "pg_advisory_unlock");
        }

        await store.CheckHealthAsync(CancellationToken.None);

        Assert.Equal(Relations, await postgres.RelationCountAsync(sidecar.Schema));
    }

    [Fact]
    public async Task Create_MetadataSchema_KeepsTheComponentsRowsThere()
    {
        await using var sidecar = postgres.StartSidecar();
        var own = postgres.NewSchema();
        var store = sidecar.Create<IStateStore>(ComponentTypes.StatePostgres, "own", new() { ["schema"] = own });

        await store.ApplyAsync([StateWrite.Upsert("k", Encoding.UTF8.GetBytes("v"), StatePrecondition.None, StateExpiry.Never)], CancellationToken.None);

        Assert.Equal(StateDocumentRelations, await postgres.RelationCountAsync(own));
        Assert.Equal(0, await postgres.RelationCountAsync(sidecar.Schema));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.DeadlockDetected)]
    [InlineData(PostgresErrorCodes.SerializationFailure)]
    public async Task RunAsync_DeadlockOrSerializationFailure_RunsTheWorkAgain(string sqlState)
    {
        await using var databases = new PostgresDatabases(NullLoggerFactory.Instance, PostgresPipelines.Provider);
        var database = databases.Get(Settings());
        var attempts = 0;

        var result = await database.RunAsync(
            "the test",
            (connection, token) => ++attempts < 3 ? throw Failure(sqlState) : Task.FromResult(attempts),
            CancellationToken.None);

        Assert.Equal(3, result);
    }

    [Fact]
    public async Task RunAsync_DeadlockEveryTime_GivesUpAfterAFewAttemptsWithAborted()
    {
        await using var databases = new PostgresDatabases(NullLoggerFactory.Instance, PostgresPipelines.Provider);
        var database = databases.Get(Settings());
        var attempts = 0;

        var exception = await Assert.ThrowsAsync<RuntimeException>(() => database.RunAsync<int>(
            "the state store 'statestore'",
            (connection, token) =>
            {
                attempts++;
                throw Failure(PostgresErrorCodes.DeadlockDetected);
            },
            CancellationToken.None));

        Assert.Equal(ErrorCode.Aborted, exception.Code);
        Assert.StartsWith("the state store 'statestore': the transaction kept conflicting with concurrent ones (40P01: injected)", exception.Message, StringComparison.Ordinal);
        Assert.Equal(5, attempts);
    }

    [Fact]
    public async Task RunAsync_OtherServerError_IsInternalAtOnceNamingTheComponentAndTheCode()
    {
        await using var databases = new PostgresDatabases(NullLoggerFactory.Instance, PostgresPipelines.Provider);
        var database = databases.Get(Settings());
        var attempts = 0;

        var exception = await Assert.ThrowsAsync<RuntimeException>(() => database.RunAsync<int>(
            "the state store 'statestore'",
            (connection, token) =>
            {
                attempts++;
                throw Failure(PostgresErrorCodes.InsufficientPrivilege);
            },
            CancellationToken.None));

        Assert.Equal(1, attempts);
        Assert.Equal(ErrorCode.Internal, exception.Code);
        Assert.Equal("PostgreSQL refused the work of the state store 'statestore': 42501: injected", exception.Message);
    }

    [Fact]
    public async Task RunAsync_TablesDroppedUnderARunningSidecar_UnavailableThenCreatedAgain()
    {
        await using var databases = new PostgresDatabases(NullLoggerFactory.Instance, PostgresPipelines.Provider);
        var settings = Settings();
        var database = databases.Get(settings);
        await database.CheckHealthAsync("the state store 'statestore'", CancellationToken.None);
        await using (var drop = postgres.Admin.CreateCommand($"DROP SCHEMA \"{settings.Schema}\" CASCADE"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        var missing = await Assert.ThrowsAsync<RuntimeException>(() => database.RunAsync(
            "the state store 'statestore'", Count(settings.Schema), CancellationToken.None));
        var count = await database.RunAsync("the state store 'statestore'", Count(settings.Schema), CancellationToken.None);

        Assert.Equal(ErrorCode.Unavailable, missing.Code);
        Assert.Contains("its tables are missing", missing.Message, StringComparison.Ordinal);
        Assert.Equal(0L, count);
    }

    private static Func<NpgsqlConnection, CancellationToken, Task<long>> Count(string schema) => async (connection, token) =>
    {
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{schema}\".state", connection);
        return (long)(await command.ExecuteScalarAsync(token))!;
    };

    [Theory]
    [InlineData(PostgresErrorCodes.AdminShutdown)]
    [InlineData(PostgresErrorCodes.CannotConnectNow)]
    [InlineData(PostgresErrorCodes.TooManyConnections)]
    [InlineData(PostgresErrorCodes.ConnectionFailure)]
    [InlineData(PostgresErrorCodes.InvalidPassword)]
    public async Task RunAsync_ServerCannotServeNow_ThrowsUnavailableNamingTheComponent(string sqlState)
    {
        await using var databases = new PostgresDatabases(NullLoggerFactory.Instance, PostgresPipelines.Provider);
        var database = databases.Get(Settings());

        var exception = await Assert.ThrowsAsync<RuntimeException>(() => database.RunAsync<int>(
            "the state store 'statestore'", (connection, token) => throw Failure(sqlState), CancellationToken.None));

        Assert.Equal(ErrorCode.Unavailable, exception.Code);
        Assert.Equal($"PostgreSQL is unreachable for the state store 'statestore': {sqlState}: injected", exception.Message);
    }

    [Fact]
    public async Task RunAsync_ConnectionBrokenByTheCallersDeadline_ThrowsOperationCanceled()
    {
        await using var databases = new PostgresDatabases(NullLoggerFactory.Instance, PostgresPipelines.Provider);
        var database = databases.Get(Settings());
        using var deadline = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => database.RunAsync<int>(
            "the test",
            async (connection, token) =>
            {
                await deadline.CancelAsync();
                throw new NpgsqlException("Exception while reading from stream", new IOException("broken"));
            },
            deadline.Token));
    }

    private PostgresSettings Settings() =>
        PostgresSettings.For(
            new ComponentOptions { Name = "statestore", Type = ComponentTypes.StatePostgres },
            new StoreOptions { Postgres = PostgresFixture.ConnectionString, PostgresSchema = postgres.NewSchema() });

    private static PostgresException Failure(string sqlState) => new("injected", "ERROR", "ERROR", sqlState);

    private async Task ExecuteAsync(string sql)
    {
        await using var command = postgres.Admin.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<bool> ExistsAsync(string countSql)
    {
        await using var command = postgres.Admin.CreateCommand(countSql);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    private async Task<List<string>> HistoryAsync(string schema)
    {
        await using var command = postgres.Admin.CreateCommand($"SELECT id FROM \"{schema}\".schema_migrations ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static async Task AdvisoryLockAsync(NpgsqlConnection connection, string function)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = PostgresMigrator.LockKey });
        await command.ExecuteNonQueryAsync();
    }
}
