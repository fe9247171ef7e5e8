using System.Collections.Concurrent;
using Npgsql;

namespace BusRuntime.Testing;

/// <summary>
/// The PostgreSQL server tests share (scripts/dev-services.sh starts it). Every test gets schemas of its
/// own; <see cref="DisposeAsync"/> drops them. Use it as a collection fixture: it fails, never skips,
/// when the server does not answer.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string Host = "127.0.0.1";
    public const int Port = 5432;
    public const string ConnectionString = "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=postgres";

    private readonly ConcurrentQueue<string> schemas = new();

    /// <summary>A connection pool of the tests' own, for arranging and inspecting what the sidecars cannot.</summary>
    public NpgsqlDataSource Admin { get; } = NpgsqlDataSource.Create(ConnectionString + ";Timeout=5;Application Name=BusRuntime tests");

    /// <summary>The connection string of the same database through another port (a <see cref="TcpProxy"/>).</summary>
    public static string ConnectionStringVia(int port) => ConnectionString.Replace($"Port={Port}", $"Port={port}", StringComparison.Ordinal);

    /// <summary>Fails with the script to run when the server does not answer.</summary>
    public async Task EnsureReachableAsync()
    {
        try
        {
            await using var command = Admin.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync();
        }
        catch (NpgsqlException exception)
        {
            throw new InvalidOperationException(
                $"PostgreSQL does not answer at {Host}:{Port} ({exception.Message}). Start it with `bash scripts/dev-services.sh` and run the tests again.",
                exception);
        }
    }

    /// <summary>A schema name no other test uses; dropped when the server fixture is disposed.</summary>
    public string NewSchema()
    {
        var schema = $"t_{Guid.NewGuid():N}";
        schemas.Enqueue(schema);
        return schema;
    }

    public async ValueTask DisposeAsync()
    {
        await using (var batch = Admin.CreateBatch())
        {
            foreach (var schema in schemas)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"));
            }

            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync();
            }
        }

        await Admin.DisposeAsync();
    }
}
