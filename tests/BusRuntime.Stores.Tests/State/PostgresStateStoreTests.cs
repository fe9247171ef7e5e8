using BusRuntime.Core.Errors;
using BusRuntime.Core.State;
using Npgsql;

namespace BusRuntime.Stores.Tests.State;

[Collection(PostgresCollection.Name)]
public sealed class PostgresStateStoreTests(PostgresFixture postgres) : StateStoreBehaviour, IAsyncLifetime
{
    private readonly PostgresSidecar sidecar = postgres.StartSidecar();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await sidecar.DisposeAsync();

    protected override IStateStore CreateStore(string name) => sidecar.State(name);

    protected override Task ElapseAsync(TimeSpan duration) => postgres.ElapseAsync(duration);

    protected override Task<DateTimeOffset> NowAsync() => postgres.NowAsync();

    [Fact]
    public async Task ApplyAsync_RowLockedElsewhereAndDeadlinePasses_ThrowsOperationCanceledAndAppliesNothing()
    {
        var etag = await ApplyOneAsync(Upsert("k", "v1"));
        await using var connection = await postgres.Admin.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand($"SELECT 1 FROM \"{sidecar.Schema}\".mt_doc_state WHERE id = 'k' FOR UPDATE", connection, transaction))
        {
            Assert.Equal(1, await command.ExecuteScalarAsync());
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Store.ApplyAsync([Upsert("k", "v2", StatePrecondition.MustMatch(etag!.Value))], deadline.Token));
        await transaction.RollbackAsync();

        var entry = await GetAsync("k");
        Assert.Equal("v1", Text(entry!));
        Assert.Equal(etag, entry!.ETag);
    }

    [Fact]
    public async Task ApplyAsync_JsonValue_IsQueryableAsJsonInTheDocument()
    {
        await ApplyOneAsync(Upsert("json", "{\"person\": {\"org\": \"Dev Ops\"}}"));
        await ApplyOneAsync(Upsert("bytes", "{\"person\": "));

        await using var command = postgres.Admin.CreateCommand(
            $"SELECT id FROM \"{sidecar.Schema}\".mt_doc_state WHERE data -> 'Json' -> 'person' ->> 'org' = 'Dev Ops' OR id = 'bytes' AND data -> 'Json' <> 'null'::jsonb");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("json", reader.GetString(0));
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task ApplyAsync_UnconditionalUpsertAfterADelete_NeverReusesAnETag()
    {
        var first = await ApplyOneAsync(Upsert("k", "v1"));
        await Store.ApplyAsync([StateWrite.Delete("k", default)], CancellationToken.None);

        var second = await ApplyOneAsync(Upsert("k", "v1"));

        Assert.True(second > first, $"etag {second} after {first}");
        Assert.Equal(second, (await GetAsync("k"))!.ETag);
    }

    [Fact]
    public async Task ApplyAsync_SchemaDroppedUnderTheSidecar_UnavailableThenCreatedAgainOnTheNextCall()
    {
        await ApplyOneAsync(Upsert("k", "v1"));
        await using (var drop = postgres.Admin.CreateCommand($"DROP SCHEMA \"{sidecar.Schema}\" CASCADE"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        var missing = await Assert.ThrowsAsync<RuntimeException>(() => ApplyOneAsync(Upsert("k", "v2")));
        await ApplyOneAsync(Upsert("k", "v3"));

        Assert.Equal(ErrorCode.Unavailable, missing.Code);
        Assert.Contains("they are created again on the next call", missing.Message, StringComparison.Ordinal);
        Assert.Equal("v3", Text((await GetAsync("k"))!));
    }

    [Fact]
    public async Task ApplyAsync_TwoSidecarsOnOneSchema_ShareTheEntriesOfAComponent()
    {
        await using var other = postgres.StartSidecar(sidecar.Schema);
        var etag = await ApplyOneAsync(Upsert("k", "v1"));

        await other.State().ApplyAsync([Upsert("k", "v2", StatePrecondition.MustMatch(etag!.Value))], CancellationToken.None);

        Assert.Equal("v2", Text((await GetAsync("k"))!));
    }
}
