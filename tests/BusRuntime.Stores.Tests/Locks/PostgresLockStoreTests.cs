using BusRuntime.Core.Locks;

namespace BusRuntime.Stores.Tests.Locks;

[Collection(PostgresCollection.Name)]
public sealed class PostgresLockStoreTests(PostgresFixture postgres) : LockStoreBehaviour, IAsyncLifetime
{
    private readonly PostgresSidecar sidecar = postgres.StartSidecar();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await sidecar.DisposeAsync();

    protected override ILockStore CreateStore(string name) => sidecar.Lock(name);

    protected override Task ElapseAsync(TimeSpan duration) => postgres.ElapseAsync(duration);

    [Fact]
    public async Task TryLockAsync_TwoSidecarsOnOneSchema_OnlyOneHoldsTheLock()
    {
        await using var other = postgres.StartSidecar(sidecar.Schema);

        Assert.True(await Store.TryLockAsync("r", "alice", TimeSpan.FromMinutes(1), CancellationToken.None));

        Assert.False(await other.Lock().TryLockAsync("r", "bob", TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal(LockStatus.Success, await other.Lock().UnlockAsync("r", "alice", CancellationToken.None));
    }
}
