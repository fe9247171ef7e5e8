using BusRuntime.Core.Configuration;
using BusRuntime.Core.Locks;
using BusRuntime.Core.State;
using BusRuntime.Core.Stores;
using BusRuntime.Stores.InMemory.Locks;
using BusRuntime.Stores.InMemory.State;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BusRuntime.Core.Tests.Stores;

public sealed class ExpiredEntrySweeperTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task ExecuteAsync_EveryInterval_SweepsEveryStateAndLockStore()
    {
        var clock = new FakeTimeProvider();
        var state = new CountingStateStore(new InMemoryStateStore(clock));
        var locks = new CountingLockStore(new InMemoryLockStore(clock));
        using var sweeper = Sweeper(clock, state, locks);
        await sweeper.StartAsync(CancellationToken.None);

        // The timer starts on the sweeper's own task: move time a second at a time until it has swept.
        var seconds = 0;
        while (state.Sweeps == 0 && seconds < 2 * Interval.TotalSeconds)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            seconds++;
            await Task.Delay(5);
        }

        await Poll(() => state.Sweeps == 1 && locks.Sweeps == 1);
        clock.Advance(Interval);
        await Poll(() => state.Sweeps == 2 && locks.Sweeps == 2);

        Assert.InRange(seconds, Interval.TotalSeconds, 2 * Interval.TotalSeconds - 1);
        await sweeper.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task SweepAsync_OneStoreFails_TheOthersAreStillSwept()
    {
        var clock = new FakeTimeProvider();
        var locks = new InMemoryLockStore(clock);
        await locks.TryLockAsync("orders||report", "worker", TimeSpan.FromSeconds(1), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));
        using var sweeper = Sweeper(clock, new UnreachableStateStore(), locks);

        await sweeper.SweepAsync(CancellationToken.None);

        Assert.Equal(0, await locks.DeleteExpiredAsync(CancellationToken.None));
    }

    private static ExpiredEntrySweeper Sweeper(FakeTimeProvider clock, IStateStore state, ILockStore locks)
    {
        var stateStores = new NamedStores<IStateStore>(
            ComponentKind.State,
            [new ComponentOptions { Name = "statestore", Type = ComponentTypes.StateInMemory }],
            [new StoreFactory<IStateStore>(ComponentTypes.StateInMemory, _ => state)],
            "orders");
        var lockStores = new NamedStores<ILockStore>(
            ComponentKind.Lock,
            [new ComponentOptions { Name = "lockstore", Type = ComponentTypes.LockInMemory }],
            [new StoreFactory<ILockStore>(ComponentTypes.LockInMemory, _ => locks)],
            "orders");
        return new ExpiredEntrySweeper(stateStores, lockStores, clock, Options.Create(new StoreOptions { ExpirySweepInterval = Interval }), NullLogger<ExpiredEntrySweeper>.Instance);
    }

    // The sweep runs on the timer's callback, not on the test's thread.
    private static async Task Poll(Func<bool> swept)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!swept())
        {
            Assert.True(DateTime.UtcNow < deadline, "the sweep did not run");
            await Task.Delay(10);
        }
    }

    private sealed class CountingStateStore(IStateStore inner) : IStateStore
    {
        private int sweeps;

        public int Sweeps => Volatile.Read(ref sweeps);

        public Task<IReadOnlyDictionary<string, StoredState>> GetAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) => inner.GetAsync(keys, cancellationToken);

        public Task<IReadOnlyList<long?>> ApplyAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken) => inner.ApplyAsync(writes, cancellationToken);

        public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref sweeps);
            return inner.DeleteExpiredAsync(cancellationToken);
        }

        public Task CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);
    }

    private sealed class CountingLockStore(ILockStore inner) : ILockStore
    {
        private int sweeps;

        public int Sweeps => Volatile.Read(ref sweeps);

        public Task<bool> TryLockAsync(string resourceId, string owner, TimeSpan expiry, CancellationToken cancellationToken) => inner.TryLockAsync(resourceId, owner, expiry, cancellationToken);

        public Task<LockStatus> UnlockAsync(string resourceId, string owner, CancellationToken cancellationToken) => inner.UnlockAsync(resourceId, owner, cancellationToken);

        public Task<LockStatus> KeepAliveAsync(string resourceId, string owner, TimeSpan expiry, CancellationToken cancellationToken) => inner.KeepAliveAsync(resourceId, owner, expiry, cancellationToken);

        public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref sweeps);
            return inner.DeleteExpiredAsync(cancellationToken);
        }

        public Task CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);
    }

    /// <summary>A state store whose database is gone: every call fails as the PostgreSQL store's would.</summary>
    private sealed class UnreachableStateStore : IStateStore
    {
        public Task<IReadOnlyDictionary<string, StoredState>> GetAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) => throw Unreachable();

        public Task<IReadOnlyList<long?>> ApplyAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken) => throw Unreachable();

        public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken) => throw Unreachable();

        public Task CheckHealthAsync(CancellationToken cancellationToken) => throw Unreachable();

        private static Core.Errors.RuntimeException Unreachable() => Core.Errors.RuntimeException.Unavailable("PostgreSQL is unreachable for the state store 'statestore': test");
    }
}
