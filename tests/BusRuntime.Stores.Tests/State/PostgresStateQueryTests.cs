using BusRuntime.Core.State;

namespace BusRuntime.Stores.Tests.State;

[Collection(PostgresCollection.Name)]
public sealed class PostgresStateQueryTests(PostgresFixture postgres) : StateQueryBehaviour, IAsyncLifetime
{
    private readonly PostgresSidecar sidecar = postgres.StartSidecar();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await sidecar.DisposeAsync();

    protected override IQueryableStateStore CreateStore(string name) => Assert.IsAssignableFrom<IQueryableStateStore>(sidecar.State(name));

    protected override Task ElapseAsync(TimeSpan duration) => postgres.ElapseAsync(duration);
}
