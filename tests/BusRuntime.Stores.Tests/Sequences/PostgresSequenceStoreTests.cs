using BusRuntime.Core.Sequences;

namespace BusRuntime.Stores.Tests.Sequences;

[Collection(PostgresCollection.Name)]
public sealed class PostgresSequenceStoreTests(PostgresFixture postgres) : SequenceStoreBehaviour, IAsyncLifetime
{
    private readonly PostgresSidecar sidecar = postgres.StartSidecar();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await sidecar.DisposeAsync();

    protected override ISequenceStore CreateStore(string name) => sidecar.Sequencer(name);

    [Fact]
    public async Task ReserveAsync_TwoSidecarsOnOneSchema_HandOutEveryIdOnce()
    {
        await using var other = postgres.StartSidecar(sidecar.Schema);

        var ids = await ReserveInParallelAsync([Store, other.Sequencer()], "k");

        Assert.Equal(Enumerable.Range(1, ids.Count).Select(id => (long)id), ids.Order());
    }
}
