using BusRuntime.Core.Locks;

namespace BusRuntime.Stores.Tests.Locks;

[Collection(RedisCollection.Name)]
public sealed class RedisLockStoreTests(RedisFixture redis) : LockStoreBehaviour, IAsyncLifetime
{
    private readonly RedisSidecar sidecar = redis.StartSidecar();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await sidecar.DisposeAsync();

    protected override ILockStore CreateStore(string name) => sidecar.Lock(name);

    protected override Task ElapseAsync(TimeSpan duration) => redis.ElapseAsync(duration);

    protected override bool ExpiresLeasesItself => true;
}
