using System.Text;
using BusRuntime.Core.Errors;
using BusRuntime.Core.State;
using BusRuntime.Stores.Postgres.Migrations;
using Npgsql;

namespace BusRuntime.Stores.Tests;

/// <summary>
/// BusRuntime:PostgresAutoCreate=None: the sidecar creates nothing and says which command does;
/// <see cref="PostgresSchemaMigration"/> (busruntime db migrate) applies what it needs.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAutoCreateNoneTests(PostgresFixture postgres)
{
    [Fact]
    public async Task CheckHealthAsync_AutoCreateNoneOnAnEmptySchema_IsUnavailableNamingTheCommandAndCreatesNothing()
    {
        await using var sidecar = new PostgresSidecar(PostgresFixture.ConnectionString, postgres.NewSchema(), "None");

        var state = await Assert.ThrowsAsync<RuntimeException>(() => sidecar.State().CheckHealthAsync(CancellationToken.None));
        var locks = await Assert.ThrowsAsync<RuntimeException>(() => sidecar.Lock().CheckHealthAsync(CancellationToken.None));

        Assert.Equal(ErrorCode.Unavailable, state.Code);
        Assert.Contains("busruntime db migrate", state.Message, StringComparison.Ordinal);
        Assert.Contains("BusRuntime:PostgresAutoCreate is None", state.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.Unavailable, locks.Code);
        Assert.Contains($"lacks BusRuntime's migrations {StoreMigrations.All[0].Id}", locks.Message, StringComparison.Ordinal);
        Assert.Equal(0, await postgres.RelationCountAsync(sidecar.Schema));
    }

    [Fact]
    public async Task MigrateAsync_ThenAutoCreateNone_StoresWorkAndASecondRunIsUpToDate()
    {
        var schema = postgres.NewSchema();
        var first = new List<string>();
        var second = new List<string>();

        await PostgresSchemaMigration.MigrateAsync(PostgresFixture.ConnectionString, schema, [], "--postgres", "--schema", first.Add, CancellationToken.None);
        var relations = await postgres.RelationCountAsync(schema);
        await PostgresSchemaMigration.MigrateAsync(PostgresFixture.ConnectionString, schema, [], "--postgres", "--schema", second.Add, CancellationToken.None);

        Assert.Contains($"  BusRuntime's tables: applied {string.Join(", ", StoreMigrations.All.Select(migration => migration.Id))}", first);
        Assert.Contains($"  BusRuntime's tables: up to date ({StoreMigrations.All.Count} migrations recorded in schema_migrations)", second);
        Assert.Equal(relations, await postgres.RelationCountAsync(schema));
        await using var sidecar = new PostgresSidecar(PostgresFixture.ConnectionString, schema, "None");
        var etag = (await sidecar.State().ApplyAsync([StateWrite.Upsert("k", Encoding.UTF8.GetBytes("v"), StatePrecondition.None, StateExpiry.Never)], CancellationToken.None))[0];
        Assert.Equal(etag, (await sidecar.State().GetAsync(["k"], CancellationToken.None))["k"].ETag);
        await sidecar.Lock().CheckHealthAsync(CancellationToken.None);
        Assert.Equal(relations, await postgres.RelationCountAsync(schema));
    }

    [Fact]
    public async Task CheckHealthAsync_AutoCreateNoneAndTheDocumentTableDropped_IsUnavailableNamingTheCommandUntilMigrated()
    {
        var schema = postgres.NewSchema();
        await PostgresSchemaMigration.MigrateAsync(PostgresFixture.ConnectionString, schema, [], "--postgres", "--schema", _ => { }, CancellationToken.None);
        await using var sidecar = new PostgresSidecar(PostgresFixture.ConnectionString, schema, "None");
        await sidecar.State().CheckHealthAsync(CancellationToken.None);
        await using (var drop = postgres.Admin.CreateCommand($"DROP TABLE \"{schema}\".mt_doc_state"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        var missing = await Assert.ThrowsAsync<RuntimeException>(() => sidecar.State().CheckHealthAsync(CancellationToken.None));
        var still = await Assert.ThrowsAsync<RuntimeException>(() => sidecar.State().CheckHealthAsync(CancellationToken.None));
        await PostgresSchemaMigration.MigrateAsync(PostgresFixture.ConnectionString, schema, [], "--postgres", "--schema", _ => { }, CancellationToken.None);

        Assert.Equal(ErrorCode.Unavailable, missing.Code);
        Assert.Contains("busruntime db migrate", missing.Message, StringComparison.Ordinal);
        Assert.Contains("busruntime db migrate", still.Message, StringComparison.Ordinal);
        await sidecar.State().CheckHealthAsync(CancellationToken.None);
    }

    [Fact]
    public async Task MigrateAsync_UnreachableServer_ThrowsNpgsqlException()
    {
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => PostgresSchemaMigration.MigrateAsync(
            "Host=127.0.0.1;Port=1;Username=postgres;Password=postgres;Timeout=2", postgres.NewSchema(), [], "--postgres", "--schema", _ => { }, CancellationToken.None));
    }
}
