using BusRuntime.Testing;
using Npgsql;

namespace BusRuntime.Stores.Tests;

/// <summary>
/// The PostgreSQL server the tests share. It fails (never skips) when the server does not answer, saying
/// which script starts it; it hands every test a schema of its own and drops them all at the end.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string ConnectionString = PostgresServer.ConnectionString;

    private readonly PostgresServer server = new();

    /// <summary>A connection pool of the tests' own, for arranging and inspecting what the stores cannot.</summary>
    public NpgsqlDataSource Admin => server.Admin;

    public Task InitializeAsync() => server.EnsureReachableAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    /// <summary>A schema name no other test uses; dropped when the tests end.</summary>
    public string NewSchema() => server.NewSchema();

    /// <summary>The stores of a new sidecar (its own connection pool) on <paramref name="schema"/>, or on a new schema.</summary>
    public PostgresSidecar StartSidecar(string? schema = null) => new(ConnectionString, schema ?? NewSchema());

    /// <summary>The database's clock, which times every TTL and lease.</summary>
    public async Task<DateTimeOffset> NowAsync()
    {
        await using var command = Admin.CreateCommand("SELECT clock_timestamp()");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return await reader.GetFieldValueAsync<DateTimeOffset>(0);
    }

    /// <summary>Waits until <paramref name="duration"/> has passed on the database's clock.</summary>
    public async Task ElapseAsync(TimeSpan duration)
    {
        var until = await NowAsync() + duration;
        await Task.Delay(duration);
        while (await NowAsync() < until)
        {
            await Task.Delay(10);
        }
    }

    /// <summary>How many of BusRuntime's tables, indexes and sequences <paramref name="schema"/> holds.</summary>
    public async Task<long> RelationCountAsync(string schema)
    {
        await using var command = Admin.CreateCommand(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'i', 'S')");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>How many rows <paramref name="schema"/>.<paramref name="table"/> holds.</summary>
    public async Task<long> RowCountAsync(string schema, string table)
    {
        await using var command = Admin.CreateCommand($"SELECT count(*) FROM \"{schema}\".\"{table}\"");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
