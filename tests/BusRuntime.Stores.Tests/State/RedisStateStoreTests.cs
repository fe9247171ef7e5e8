using BusRuntime.Core.State;

namespace BusRuntime.Stores.Tests.State;

[Collection(RedisCollection.Name)]
public sealed class RedisStateStoreTests(RedisFixture redis) : StateStoreBehaviour, IAsyncLifetime
{
    private readonly RedisSidecar sidecar = redis.StartSidecar();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await sidecar.DisposeAsync();

    protected override IStateStore CreateStore(string name) => sidecar.State(name);

    protected override Task ElapseAsync(TimeSpan duration) => redis.ElapseAsync(duration);

    protected override Task<DateTimeOffset> NowAsync() => redis.NowAsync();

    protected override bool ExpiresEntriesItself => true;

    [Fact]
    public async Task ApplyAsync_AfterSeconds_RedisRemovesTheEntryItself()
    {
        await ApplyOneAsync(Upsert("k", "v", expiry: StateExpiry.After(1)));
        await ApplyOneAsync(Upsert("forever", "v"));
        var keys = await redis.KeyCountAsync(sidecar.Keyspace);

        await ElapseAsync(TimeSpan.FromSeconds(1));

        // The counter of etags and the entry that has no TTL stay.
        Assert.Equal(3, keys);
        Assert.Equal(2, await redis.KeyCountAsync(sidecar.Keyspace));
    }

    [Fact]
    public async Task ApplyAsync_DeleteInABatch_RemovesTheKeyFromRedis()
    {
        await ApplyOneAsync(Upsert("k", "v"));

        await Store.ApplyAsync([StateWrite.Delete("k", StatePrecondition.None), Upsert("other", "v")], CancellationToken.None);

        Assert.Equal(2, await redis.KeyCountAsync(sidecar.Keyspace));
        Assert.Null(await GetAsync("k"));
    }
}
