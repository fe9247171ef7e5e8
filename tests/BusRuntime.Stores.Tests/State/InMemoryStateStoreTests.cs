using BusRuntime.Core.State;
using BusRuntime.Stores.InMemory.State;
using Microsoft.Extensions.Time.Testing;

namespace BusRuntime.Stores.Tests.State;

public sealed class InMemoryStateStoreTests : StateStoreBehaviour
{
    private readonly FakeTimeProvider clock = new();

    protected override IStateStore CreateStore(string name) => new InMemoryStateStore(clock);

    protected override Task ElapseAsync(TimeSpan duration)
    {
        clock.Advance(duration);
        return Task.CompletedTask;
    }

    protected override Task<DateTimeOffset> NowAsync() => Task.FromResult(clock.GetUtcNow());
}
