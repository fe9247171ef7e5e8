using BusRuntime.Core.Jobs;
using Npgsql;
using NpgsqlTypes;

namespace BusRuntime.Stores.Postgres.Jobs;

/// <summary>
/// Jobs in the table <c>jobs</c>, one row per (app id, name). A claim is one statement that leases the app's due rows
/// with FOR UPDATE SKIP LOCKED, so that sidecars of one app claim disjoint jobs and a tick goes to one of them; a release
/// only changes the row when its version is the claimed one. A schedule takes the app's advisory lock for its
/// transaction, so that the count against the app's bound is exact.
/// </summary>
internal sealed class PostgresJobStore(PostgresDatabase database) : IJobStore
{
    private const string Component = "the job store";

    private const string Columns =
        "app_id, name, schedule, repeats, due_time, ttl, data_type, data, policy, policy_interval, policy_max_retries, created_at, tick, due_at, fired, failed_attempts, version";

    private readonly string count = $"SELECT coalesce(bool_or(name = $2), false), count(*) FROM {database.Schema}.jobs WHERE app_id = $1";

    private readonly string upsert = $"""
        INSERT INTO {database.Schema}.jobs ({Columns}, leased_until)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, NULL)
        ON CONFLICT (app_id, name) DO UPDATE SET
            schedule = excluded.schedule, repeats = excluded.repeats, due_time = excluded.due_time, ttl = excluded.ttl,
            data_type = excluded.data_type, data = excluded.data, policy = excluded.policy, policy_interval = excluded.policy_interval,
            policy_max_retries = excluded.policy_max_retries, created_at = excluded.created_at, tick = excluded.tick,
            due_at = excluded.due_at, fired = excluded.fired, failed_attempts = excluded.failed_attempts, version = excluded.version,
            leased_until = NULL
        """;

    private readonly string get = $"SELECT {Columns} FROM {database.Schema}.jobs WHERE app_id = $1 AND name = $2";
    private readonly string delete = $"DELETE FROM {database.Schema}.jobs WHERE app_id = $1 AND name = $2";
    private readonly string deleteByPrefix = $"DELETE FROM {database.Schema}.jobs WHERE app_id = $1 AND starts_with(name, $2)";
    private readonly string list = $"SELECT {Columns} FROM {database.Schema}.jobs WHERE app_id = $1 ORDER BY name LIMIT $2";

    private readonly string claim = $"""
        WITH due AS (
            SELECT app_id, name FROM {database.Schema}.jobs
            WHERE app_id = $1 AND due_at <= $2 AND (leased_until IS NULL OR leased_until <= $2)
            ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED)
        UPDATE {database.Schema}.jobs AS j SET leased_until = $2 + $3
        FROM due WHERE j.app_id = due.app_id AND j.name = due.name
        RETURNING {string.Join(", ", Columns.Split(", ").Select(column => "j." + column))}
        """;

    private readonly string release = $"""
        UPDATE {database.Schema}.jobs SET tick = $4, due_at = $5, fired = $6, failed_attempts = $7, leased_until = NULL
        WHERE app_id = $1 AND name = $2 AND version = $3
        """;

    private readonly string end = $"DELETE FROM {database.Schema}.jobs WHERE app_id = $1 AND name = $2 AND version = $3";

    public Task<JobPutResult> PutAsync(StoredJob job, bool overwrite, int maxJobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return database.RunAsync(
            Component,
            async (connection, token) =>
            {
                var transaction = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var locking = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('busruntime.jobs/' || $1, 0))", connection, transaction);
                    await using (locking.ConfigureAwait(false))
                    {
                        locking.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.AppId });
                        await locking.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                    }

                    bool exists;
                    long jobs;
                    var counting = new NpgsqlCommand(count, connection, transaction);
                    await using (counting.ConfigureAwait(false))
                    {
                        counting.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.AppId });
                        counting.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.Job.Name });
                        var reader = await counting.ExecuteReaderAsync(token).ConfigureAwait(false);
                        await using (reader.ConfigureAwait(false))
                        {
                            await reader.ReadAsync(token).ConfigureAwait(false);
                            exists = reader.GetBoolean(0);
                            jobs = reader.GetInt64(1);
                        }
                    }

                    if (exists && !overwrite)
                    {
                        return JobPutResult.AlreadyExists;
                    }

                    if (!exists && jobs >= maxJobs)
                    {
                        return JobPutResult.TooMany;
                    }

                    var writing = new NpgsqlCommand(upsert, connection, transaction);
                    await using (writing.ConfigureAwait(false))
                    {
                        AddRow(writing, job);
                        await writing.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(token).ConfigureAwait(false);
                    return JobPutResult.Stored;
                }
            },
            cancellationToken);
    }

    public async Task<StoredJob?> GetAsync(string appId, string name, CancellationToken cancellationToken)
    {
        var found = await ReadAsync(get, [Text(appId), Text(name)], cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<bool> DeleteAsync(string appId, string name, CancellationToken cancellationToken) =>
        await ExecuteAsync(delete, [Text(appId), Text(name)], cancellationToken).ConfigureAwait(false) > 0;

    public Task<int> DeleteByPrefixAsync(string appId, string prefix, CancellationToken cancellationToken) =>
        ExecuteAsync(deleteByPrefix, [Text(appId), Text(prefix)], cancellationToken);

    public Task<IReadOnlyList<StoredJob>> ListAsync(string appId, int max, CancellationToken cancellationToken) =>
        ReadAsync(list, [Text(appId), new NpgsqlParameter<int> { TypedValue = max }], cancellationToken);

    public Task<IReadOnlyList<StoredJob>> ClaimDueAsync(string appId, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken) =>
        ReadAsync(
            claim,
            [Text(appId), new NpgsqlParameter<DateTimeOffset> { TypedValue = now }, new NpgsqlParameter<TimeSpan> { TypedValue = lease }, new NpgsqlParameter<int> { TypedValue = max }],
            cancellationToken);

    public Task ReleaseAsync(StoredJob claimed, StoredJob? next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        NpgsqlParameter[] key = [Text(claimed.AppId), Text(claimed.Job.Name), new NpgsqlParameter<Guid> { TypedValue = claimed.Version }];
        return next is null
            ? ExecuteAsync(end, key, cancellationToken)
            : ExecuteAsync(
                release,
                [
                    .. key,
                    new NpgsqlParameter<DateTimeOffset> { TypedValue = next.Tick },
                    new NpgsqlParameter<DateTimeOffset> { TypedValue = next.DueAt },
                    new NpgsqlParameter<int> { TypedValue = next.Fired },
                    new NpgsqlParameter<int> { TypedValue = next.FailedAttempts },
                ],
                cancellationToken);
    }

    private static NpgsqlParameter Text(string value) => new NpgsqlParameter<string> { TypedValue = value };

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    private static void AddRow(NpgsqlCommand command, StoredJob stored)
    {
        var job = stored.Job;
        var policy = job.FailurePolicy;
        command.Parameters.Add(Text(stored.AppId));
        command.Parameters.Add(Text(job.Name));
        command.Parameters.Add(Nullable(job.Schedule, NpgsqlDbType.Text));
        command.Parameters.Add(Nullable(job.Repeats is { } repeats ? (long)repeats : null, NpgsqlDbType.Bigint));
        command.Parameters.Add(Nullable(job.DueTime, NpgsqlDbType.Text));
        command.Parameters.Add(Nullable(job.Ttl, NpgsqlDbType.Text));
        command.Parameters.Add(Nullable(job.Data?.TypeUrl, NpgsqlDbType.Text));
        command.Parameters.Add(Nullable(job.Data?.Value.ToArray(), NpgsqlDbType.Bytea));
        command.Parameters.Add(Nullable(policy is null ? null : policy.Drop ? "drop" : "constant", NpgsqlDbType.Text));
        command.Parameters.Add(Nullable(policy is { Drop: false } ? policy.Interval : null, NpgsqlDbType.Interval));
        command.Parameters.Add(Nullable(policy?.MaxRetries is { } most ? (long)most : null, NpgsqlDbType.Bigint));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = stored.CreatedAt });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = stored.Tick });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = stored.DueAt });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = stored.Fired });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = stored.FailedAttempts });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = stored.Version });
    }

    private static StoredJob Read(NpgsqlDataReader reader)
    {
        string? Text(int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
        long? Number(int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);
        var data = reader.IsDBNull(6) ? null : new JobData(reader.GetString(6), reader.GetFieldValue<byte[]>(7));
        var policy = Text(8) switch
        {
            "drop" => new JobFailurePolicy(true, TimeSpan.Zero, null),
            "constant" => new JobFailurePolicy(false, reader.GetFieldValue<TimeSpan>(9), Number(10) is { } most ? (uint)most : null),
            _ => null,
        };
        var job = new Job(reader.GetString(1), Text(2), Number(3) is { } repeats ? (uint)repeats : null, Text(4), Text(5), data, policy);
        return new StoredJob(
            reader.GetString(0),
            job,
            reader.GetFieldValue<DateTimeOffset>(11),
            reader.GetFieldValue<DateTimeOffset>(12),
            reader.GetFieldValue<DateTimeOffset>(13),
            reader.GetInt32(14),
            reader.GetInt32(15),
            reader.GetGuid(16));
    }

    private Task<IReadOnlyList<StoredJob>> ReadAsync(string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<StoredJob>>(
            Component,
            async (connection, token) =>
            {
                var command = new NpgsqlCommand(sql, connection);
                await using (command.ConfigureAwait(false))
                {
                    command.Parameters.AddRange(parameters.Select(parameter => parameter.Clone()).ToArray());
                    var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        var jobs = new List<StoredJob>();
                        while (await reader.ReadAsync(token).ConfigureAwait(false))
                        {
                            jobs.Add(Read(reader));
                        }

                        return jobs;
                    }
                }
            },
            cancellationToken);

    private Task<int> ExecuteAsync(string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken) =>
        database.RunAsync(
            Component,
            async (connection, token) =>
            {
                var command = new NpgsqlCommand(sql, connection);
                await using (command.ConfigureAwait(false))
                {
                    command.Parameters.AddRange(parameters.Select(parameter => parameter.Clone()).ToArray());
                    return await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                }
            },
            cancellationToken);
}
