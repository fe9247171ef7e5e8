using BusRuntime.Core.Sequences;
using Npgsql;

namespace BusRuntime.Stores.Postgres.Sequences;

/// <summary>
/// The last id handed out per key, in the table <c>sequences</c>: one upsert adds the count under the row's
/// lock, so callers on any number of sidecars get disjoint, contiguous ranges.
/// </summary>
internal sealed class PostgresSequenceStore(PostgresDatabase database, string name) : ISequenceStore
{
    private readonly string component = $"the sequencer '{name}'";

    private readonly string reserve = $"""
        INSERT INTO {database.Schema}.sequences AS q (store, key, last_id) VALUES ($1, $2, $3)
        ON CONFLICT (store, key) DO UPDATE SET last_id = q.last_id + excluded.last_id
        RETURNING q.last_id
        """;

    public Task<long> ReserveAsync(string key, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return database.RunAsync(
            component,
            async (connection, token) =>
            {
                var command = new NpgsqlCommand(reserve, connection)
                {
                    Parameters =
                    {
                        new NpgsqlParameter<string> { TypedValue = name },
                        new NpgsqlParameter<string> { TypedValue = key },
                        new NpgsqlParameter<long> { TypedValue = count },
                    },
                };
                await using (command.ConfigureAwait(false))
                {
                    return (long)(await command.ExecuteScalarAsync(token).ConfigureAwait(false))!;
                }
            },
            cancellationToken);
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken) => database.CheckHealthAsync(component, cancellationToken);
}
