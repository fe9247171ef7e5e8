using BusRuntime.Testing;

namespace BusRuntime.IntegrationTests;

/// <summary>The PostgreSQL server the store integration tests share; fails, never skips, when it does not answer.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; } = new();

    /// <summary>The configuration keys that put a sidecar's default stores on their own schema of this server.</summary>
    public Dictionary<string, string?> Settings(string schema, string? connectionString = null, IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["BusRuntime:Postgres"] = connectionString ?? PostgresServer.ConnectionString,
            ["BusRuntime:PostgresSchema"] = schema,
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public Task InitializeAsync() => Server.EnsureReachableAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
