using BusRuntime.Testing;

namespace BusRuntime.CompatibilityTests.Fixtures;

/// <summary>
/// The PostgreSQL and Redis servers a sidecar's state store may live on (scripts/dev-services.sh starts
/// both); fails, never skips, when one does not answer. Names each run's app, so that its keys are deleted
/// (and its schemas dropped) when the tests end.
/// </summary>
public sealed class StateBackendsFixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; } = new();

    public RedisServer Redis { get; } = new();

    public async Task InitializeAsync()
    {
        await Postgres.EnsureReachableAsync();
        await Redis.EnsureReachableAsync();
    }

    public async Task DisposeAsync()
    {
        await Postgres.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
