using BusRuntime.Testing;
using Npgsql;

namespace BusRuntime.Sagas.Tests.Persistence;

/// <summary>The shared PostgreSQL server; fails (never skips) when it does not answer; every test gets a schema of its own.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly PostgresServer server = new();

    public NpgsqlDataSource Admin => server.Admin;

    public Task InitializeAsync() => server.EnsureReachableAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    public string NewSchema() => server.NewSchema();

    /// <summary>How many tables and indexes <paramref name="schema"/> holds.</summary>
    public async Task<long> RelationCountAsync(string schema)
    {
        await using var command = Admin.CreateCommand(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'i')");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>How many rows the counter table of <paramref name="schema"/> holds.</summary>
    public async Task<long> RowCountAsync(string schema)
    {
        await using var command = Admin.CreateCommand($"SELECT count(*) FROM \"{schema}\".counters");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
