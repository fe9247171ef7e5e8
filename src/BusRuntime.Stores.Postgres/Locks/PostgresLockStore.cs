using BusRuntime.Core.Locks;
using Npgsql;

namespace BusRuntime.Stores.Postgres.Locks;

/// <summary>
/// Leases in the table <c>locks</c>, one row per resource, timed on the database's clock so that sidecars
/// with drifting clocks agree. Every call is one statement: taking a lock inserts the row or takes over an
/// expired one, and the row lock PostgreSQL holds while it re-checks the expiry lets one contender win.
/// </summary>
internal sealed class PostgresLockStore(PostgresDatabase database, string name) : ILockStore
{
    private readonly string component = $"the lock store '{name}'";

    // Parameters: $1 store, $2 resource id, $3 owner, $4 lease length.
    private readonly string tryLock = $"""
        INSERT INTO {database.Schema}.locks AS l (store, resource_id, owner, expires_at)
        VALUES ($1, $2, $3, clock_timestamp() + $4)
        ON CONFLICT (store, resource_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
        WHERE l.expires_at <= clock_timestamp()
        RETURNING true
        """;

    // Both answer whether the owner's live lease was released (renewed) and, if not, whether another owner
    // holds a live one; the snapshot of the second question may still show the owner's own lease when a
    // concurrent call released it, hence "owner <> $3".
    private readonly string unlock = $"""
        WITH released AS (
            DELETE FROM {database.Schema}.locks
            WHERE store = $1 AND resource_id = $2 AND owner = $3 AND expires_at > clock_timestamp()
            RETURNING true)
        SELECT EXISTS (SELECT FROM released),
               EXISTS (SELECT FROM {database.Schema}.locks WHERE store = $1 AND resource_id = $2 AND owner <> $3 AND expires_at > clock_timestamp())
        """;

    private readonly string keepAlive = $"""
        WITH renewed AS (
            UPDATE {database.Schema}.locks SET expires_at = clock_timestamp() + $4
            WHERE store = $1 AND resource_id = $2 AND owner = $3 AND expires_at > clock_timestamp()
            RETURNING true)
        SELECT EXISTS (SELECT FROM renewed),
               EXISTS (SELECT FROM {database.Schema}.locks WHERE store = $1 AND resource_id = $2 AND owner <> $3 AND expires_at > clock_timestamp())
        """;

    private readonly string sweep = $"""
        WITH expired AS (
            SELECT resource_id FROM {database.Schema}.locks WHERE store = $1 AND expires_at <= now()
            LIMIT $2 FOR UPDATE SKIP LOCKED)
        DELETE FROM {database.Schema}.locks AS l USING expired
        WHERE l.store = $1 AND l.resource_id = expired.resource_id AND l.expires_at <= now()
        """;

    public Task<bool> TryLockAsync(string resourceId, string owner, TimeSpan expiry, CancellationToken cancellationToken) =>
        database.RunAsync(
            component,
            async (connection, token) =>
            {
                var command = Command(tryLock, connection, resourceId, owner, expiry);
                await using (command.ConfigureAwait(false))
                {
                    return await command.ExecuteScalarAsync(token).ConfigureAwait(false) is true;
                }
            },
            cancellationToken);

    public Task<LockStatus> UnlockAsync(string resourceId, string owner, CancellationToken cancellationToken) =>
        StatusAsync(unlock, resourceId, owner, null, cancellationToken);

    public Task<LockStatus> KeepAliveAsync(string resourceId, string owner, TimeSpan expiry, CancellationToken cancellationToken) =>
        StatusAsync(keepAlive, resourceId, owner, expiry, cancellationToken);

    public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken) =>
        database.DeleteInBatchesAsync(component, sweep, name, cancellationToken);

    public Task CheckHealthAsync(CancellationToken cancellationToken) => database.CheckHealthAsync(component, cancellationToken);

    private Task<LockStatus> StatusAsync(string sql, string resourceId, string owner, TimeSpan? expiry, CancellationToken cancellationToken) =>
        database.RunAsync(
            component,
            async (connection, token) =>
            {
                var command = Command(sql, connection, resourceId, owner, expiry);
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        await reader.ReadAsync(token).ConfigureAwait(false);
                        return reader.GetBoolean(0) ? LockStatus.Success
                            : reader.GetBoolean(1) ? LockStatus.LockBelongsToOthers
                            : LockStatus.LockDoesNotExist;
                    }
                }
            },
            cancellationToken);

    private NpgsqlCommand Command(string sql, NpgsqlConnection connection, string resourceId, string owner, TimeSpan? expiry)
    {
        var command = new NpgsqlCommand(sql, connection)
        {
            Parameters =
            {
                new NpgsqlParameter<string> { TypedValue = name },
                new NpgsqlParameter<string> { TypedValue = resourceId },
                new NpgsqlParameter<string> { TypedValue = owner },
            },
        };
        if (expiry is { } lease)
        {
            command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = lease });
        }

        return command;
    }
}
