using BusRuntime.Core.Locks;
using BusRuntime.Stores.InMemory.Locks;
using Microsoft.Extensions.Time.Testing;

namespace BusRuntime.Stores.Tests.Locks;

public sealed class InMemoryLockStoreTests : LockStoreBehaviour
{
    private readonly FakeTimeProvider clock = new();

    protected override ILockStore CreateStore(string name) => new InMemoryLockStore(clock);

    protected override Task ElapseAsync(TimeSpan duration)
    {
        clock.Advance(duration);
        return Task.CompletedTask;
    }
}
