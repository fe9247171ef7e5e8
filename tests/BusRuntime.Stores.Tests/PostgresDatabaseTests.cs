using System.Text;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.State;
using BusRuntime.Stores.Postgres;
using Npgsql;

namespace BusRuntime.Stores.Tests;

/// <summary>Creating the tables: on first use, once, whoever else starts at the same time, and again after a failure.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDatabaseTests(PostgresFixture postgres)
{
    /// <summary>Three tables, their primary keys, two expiry indexes and the etag sequence.</summary>
    private const long Relations = 9;

    [Fact]
    public async Task CheckHealthAsync_FreshSchema_CreatesTheTables()
    {
        await using var sidecar = postgres.StartSidecar();
        var store = sidecar.State();
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

        Assert.Equal(Relations, await postgres.RelationCountAsync(first.Schema));
        Assert.Equal(etag, (await second.State().GetAsync(["k"], CancellationToken.None))["k"].ETag);
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

        Assert.Equal(Relations, await postgres.RelationCountAsync(own));
        Assert.Equal(0, await postgres.RelationCountAsync(sidecar.Schema));
    }

    private static async Task AdvisoryLockAsync(NpgsqlConnection connection, string function)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = PostgresSchema.MigrationLockKey });
        await command.ExecuteNonQueryAsync();
    }
}
