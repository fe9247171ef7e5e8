using BusRuntime.Core.Locks;

namespace BusRuntime.Stores.Tests.Locks;

/// <summary>
/// What every lock store does. Leases run on the store's clock, which a subclass moves forward (a fake
/// clock in memory, real waiting on the database's clock), so expiring leases here last 1 s.
/// </summary>
public abstract class LockStoreBehaviour
{
    private static readonly TimeSpan ShortLease = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongLease = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, ILockStore> stores = new(StringComparer.Ordinal);

    protected ILockStore Store => StoreNamed("lockstore");

    /// <summary>A new store for the component <paramref name="name"/>, holding no leases at the start of a test.</summary>
    protected abstract ILockStore CreateStore(string name);

    /// <summary>Lets <paramref name="duration"/> pass on the store's clock.</summary>
    protected abstract Task ElapseAsync(TimeSpan duration);

    /// <summary>True for a store whose server removes expired leases itself (Redis), leaving the sweep nothing to delete.</summary>
    protected virtual bool ExpiresLeasesItself => false;

    protected ILockStore StoreNamed(string name)
    {
        if (!stores.TryGetValue(name, out var store))
        {
            store = CreateStore(name);
            stores[name] = store;
        }

        return store;
    }

    [Fact]
    public async Task TryLockAsync_FreeResource_TakesTheLock()
    {
        Assert.True(await Store.TryLockAsync("r", "alice", LongLease, CancellationToken.None));

        Assert.False(await Store.TryLockAsync("r", "bob", LongLease, CancellationToken.None));
    }

    [Fact]
    public async Task TryLockAsync_SameOwnerAgain_IsRefused()
    {
        await Store.TryLockAsync("r", "alice", LongLease, CancellationToken.None);

        Assert.False(await Store.TryLockAsync("r", "alice", LongLease, CancellationToken.None));
    }

    [Fact]
    public async Task TryLockAsync_OtherResources_AreIndependent()
    {
        Assert.True(await Store.TryLockAsync("r1", "alice", LongLease, CancellationToken.None));

        Assert.True(await Store.TryLockAsync("r2", "bob", LongLease, CancellationToken.None));
    }

    [Fact]
    public async Task UnlockAsync_Owner_ReleasesTheLock()
    {
        await Store.TryLockAsync("r", "alice", LongLease, CancellationToken.None);

        Assert.Equal(LockStatus.Success, await Store.UnlockAsync("r", "alice", CancellationToken.None));

        Assert.Equal(LockStatus.LockDoesNotExist, await Store.UnlockAsync("r", "alice", CancellationToken.None));
        Assert.True(await Store.TryLockAsync("r", "bob", LongLease, CancellationToken.None));
    }

    [Fact]
    public async Task UnlockAsync_OtherOwner_IsRefusedAndTheLockStays()
    {
        await Store.TryLockAsync("r", "alice", LongLease, CancellationToken.None);

        Assert.Equal(LockStatus.LockBelongsToOthers, await Store.UnlockAsync("r", "bob", CancellationToken.None));

        Assert.False(await Store.TryLockAsync("r", "bob", LongLease, CancellationToken.None));
    }

    [Fact]
    public async Task UnlockAndKeepAlive_NeverLocked_LockDoesNotExist()
    {
        Assert.Equal(LockStatus.LockDoesNotExist, await Store.UnlockAsync("r", "alice", CancellationToken.None));
        Assert.Equal(LockStatus.LockDoesNotExist, await Store.KeepAliveAsync("r", "alice", LongLease, CancellationToken.None));
    }

    [Fact]
    public async Task KeepAliveAsync_OtherOwner_LockBelongsToOthers()
    {
        await Store.TryLockAsync("r", "alice", LongLease, CancellationToken.None);

        Assert.Equal(LockStatus.LockBelongsToOthers, await Store.KeepAliveAsync("r", "bob", LongLease, CancellationToken.None));
    }

    [Fact]
    public async Task TryLockAsync_LeaseExpired_AnotherOwnerTakesOver()
    {
        await Store.TryLockAsync("r", "alice", ShortLease, CancellationToken.None);
        Assert.False(await Store.TryLockAsync("r", "bob", LongLease, CancellationToken.None));

        await ElapseAsync(ShortLease);

        Assert.True(await Store.TryLockAsync("r", "bob", LongLease, CancellationToken.None));
        Assert.Equal(LockStatus.LockBelongsToOthers, await Store.UnlockAsync("r", "alice", CancellationToken.None));
    }

    [Fact]
    public async Task TryLockAsync_ManyContendersForAnExpiredLease_ExactlyOneTakesIt()
    {
        await Store.TryLockAsync("r", "gone", ShortLease, CancellationToken.None);
        await ElapseAsync(ShortLease + TimeSpan.FromMilliseconds(100));

        var taken = await Task.WhenAll(Enumerable.Range(0, 50).Select(contender =>
            Task.Run(() => Store.TryLockAsync("r", $"contender-{contender}", LongLease, CancellationToken.None))));

        Assert.Single(taken, won => won);
    }

    [Fact]
    public async Task UnlockAndKeepAlive_LeaseExpired_LockDoesNotExist()
    {
        await Store.TryLockAsync("r1", "alice", ShortLease, CancellationToken.None);
        await Store.TryLockAsync("r2", "alice", ShortLease, CancellationToken.None);

        await ElapseAsync(ShortLease);

        Assert.Equal(LockStatus.LockDoesNotExist, await Store.UnlockAsync("r1", "alice", CancellationToken.None));
        Assert.Equal(LockStatus.LockDoesNotExist, await Store.KeepAliveAsync("r2", "alice", LongLease, CancellationToken.None));
        Assert.True(await Store.TryLockAsync("r2", "bob", LongLease, CancellationToken.None));
    }

    [Fact]
    public async Task KeepAliveAsync_BeforeExpiry_HoldsTheLockPastTheFirstExpiry()
    {
        // Long enough that a busy machine cannot let it run out before the keep-alive right after it.
        var firstLease = TimeSpan.FromSeconds(3);
        await Store.TryLockAsync("r", "alice", firstLease, CancellationToken.None);

        Assert.Equal(LockStatus.Success, await Store.KeepAliveAsync("r", "alice", LongLease, CancellationToken.None));
        await ElapseAsync(firstLease);

        Assert.False(await Store.TryLockAsync("r", "bob", LongLease, CancellationToken.None));
        Assert.Equal(LockStatus.Success, await Store.UnlockAsync("r", "alice", CancellationToken.None));
    }

    [Fact]
    public async Task DeleteExpiredAsync_SomeExpired_DeletesThemAndSaysHowMany()
    {
        await Store.TryLockAsync("r1", "alice", ShortLease, CancellationToken.None);
        await Store.TryLockAsync("r2", "alice", ShortLease, CancellationToken.None);
        await Store.TryLockAsync("r3", "alice", LongLease, CancellationToken.None);
        await StoreNamed("other").TryLockAsync("r1", "alice", ShortLease, CancellationToken.None);
        await ElapseAsync(ShortLease);

        var deleted = await Store.DeleteExpiredAsync(CancellationToken.None);
        var again = await Store.DeleteExpiredAsync(CancellationToken.None);

        Assert.Equal(ExpiresLeasesItself ? 0 : 2, deleted);
        Assert.Equal(0, again);
        Assert.Equal(LockStatus.LockDoesNotExist, await Store.UnlockAsync("r1", "alice", CancellationToken.None));
        Assert.Equal(LockStatus.LockBelongsToOthers, await Store.UnlockAsync("r3", "bob", CancellationToken.None));
        Assert.Equal(ExpiresLeasesItself ? 0 : 1, await StoreNamed("other").DeleteExpiredAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TryLockAsync_AnotherComponentHoldsTheResource_TakesTheLock()
    {
        Assert.True(await StoreNamed("one").TryLockAsync("r", "alice", LongLease, CancellationToken.None));

        Assert.Equal(LockStatus.LockDoesNotExist, await StoreNamed("two").UnlockAsync("r", "alice", CancellationToken.None));
        Assert.True(await StoreNamed("two").TryLockAsync("r", "bob", LongLease, CancellationToken.None));
        Assert.Equal(LockStatus.Success, await StoreNamed("one").UnlockAsync("r", "alice", CancellationToken.None));
    }

    [Fact]
    public async Task TryLockAsync_ManyContenders_NeverMoreThanOneHolder()
    {
        const int Contenders = 50;
        const int Attempts = 5;
        var holders = 0;
        var mostHolders = 0;
        var acquisitions = 0;
        var failedUnlocks = 0;

        await Task.WhenAll(Enumerable.Range(0, Contenders).Select(contender => Task.Run(async () =>
        {
            var owner = $"owner-{contender}";
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                if (!await Store.TryLockAsync("r", owner, LongLease, CancellationToken.None))
                {
                    continue;
                }

                var now = Interlocked.Increment(ref holders);
                InterlockedMax(ref mostHolders, now);
                Interlocked.Increment(ref acquisitions);
                await Task.Yield();
                Interlocked.Decrement(ref holders);
                if (await Store.UnlockAsync("r", owner, CancellationToken.None) != LockStatus.Success)
                {
                    Interlocked.Increment(ref failedUnlocks);
                }
            }
        })));

        Assert.Equal(1, mostHolders);
        Assert.InRange(acquisitions, 1, Contenders * Attempts);
        Assert.Equal(0, failedUnlocks);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
