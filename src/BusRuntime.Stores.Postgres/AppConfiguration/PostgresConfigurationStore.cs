using System.Text.Json;
using BusRuntime.Core.AppConfiguration;
using Npgsql;
using NpgsqlTypes;

namespace BusRuntime.Stores.Postgres.AppConfiguration;

/// <summary>
/// Configuration items in the table <c>configuration</c>, one row per item or tombstone. Versions come from
/// the sequence <c>configuration_version</c>, and an existing row's new version is drawn only once its row
/// lock is held: of two writers of one item, the one that commits later has the greater version. Rows are
/// locked in key order, so saves and deletes of the same items queue rather than deadlock.
/// </summary>
internal sealed class PostgresConfigurationStore(PostgresDatabase database, string name) : IConfigurationStore
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    private readonly string component = $"the configuration store '{name}'";

    // $1 store, $2 app id, $3 group, $4 label, $5 key, $6 content, $7 tags, $8 metadata.
    private readonly string save = $"""
        INSERT INTO {database.Schema}.configuration AS t (store, app_id, group_name, label, key, content, tags, metadata, version)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, nextval('{database.Schema}.configuration_version'))
        ON CONFLICT (store, app_id, group_name, label, key) DO UPDATE
        SET content = excluded.content, tags = excluded.tags, metadata = excluded.metadata,
            version = nextval('{database.Schema}.configuration_version')
        RETURNING t.version
        """;

    // $1 store, $2 app id, $3 group, $4 label, $5 keys.
    private readonly string delete = $"""
        WITH locked AS (
            SELECT key FROM {database.Schema}.configuration
            WHERE store = $1 AND app_id = $2 AND group_name = $3 AND label = $4 AND key = ANY($5) AND content IS NOT NULL
            ORDER BY key FOR UPDATE)
        UPDATE {database.Schema}.configuration AS t
        SET content = NULL, tags = jsonb_build_object(), metadata = jsonb_build_object(), version = nextval('{database.Schema}.configuration_version')
        FROM locked
        WHERE t.store = $1 AND t.app_id = $2 AND t.group_name = $3 AND t.label = $4 AND t.key = locked.key
        RETURNING t.key, t.version
        """;

    // $1 store, $2 app id, $3 group, $4 label, $5 keys (none: all), $6 include tombstones.
    private readonly string get = $"""
        SELECT key, content, tags, metadata, version FROM {database.Schema}.configuration
        WHERE store = $1 AND app_id = $2 AND group_name = $3 AND label = $4
            AND (cardinality($5) = 0 OR key = ANY($5)) AND ($6 OR content IS NOT NULL)
        ORDER BY key
        """;

    public bool IsShared => true;

    public Task<IReadOnlyList<StoredConfigurationItem>> GetAsync(
        string appId, string group, string label, IReadOnlyCollection<string> keys, bool includeDeleted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return database.RunAsync(
            component,
            async (connection, token) =>
            {
                var command = new NpgsqlCommand(get, connection)
                {
                    Parameters =
                    {
                        Text(name), Text(appId), Text(group), Text(label),
                        new NpgsqlParameter<string[]> { TypedValue = [.. keys] },
                        new NpgsqlParameter<bool> { TypedValue = includeDeleted },
                    },
                };
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        var found = new List<StoredConfigurationItem>();
                        while (await reader.ReadAsync(token).ConfigureAwait(false))
                        {
                            found.Add(new StoredConfigurationItem(
                                group,
                                label,
                                reader.GetString(0),
                                await reader.IsDBNullAsync(1, token).ConfigureAwait(false) ? null : reader.GetString(1),
                                FromJson(reader.GetString(2)),
                                FromJson(reader.GetString(3)),
                                reader.GetInt64(4)));
                        }

                        return (IReadOnlyList<StoredConfigurationItem>)found;
                    }
                }
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<long>> SaveAsync(string appId, IReadOnlyList<ConfigurationItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return [];
        }

        // In key order (stable, so repeated items of one key still apply in the order given).
        var order = Enumerable.Range(0, items.Count)
            .OrderBy(index => items[index].Group, StringComparer.Ordinal)
            .ThenBy(index => items[index].Label, StringComparer.Ordinal)
            .ThenBy(index => items[index].Key, StringComparer.Ordinal)
            .ToList();
        return await database.RunAsync(
            component,
            async (connection, token) =>
            {
                var transaction = items.Count == 1 ? null : await connection.BeginTransactionAsync(token).ConfigureAwait(false);
                try
                {
                    var versions = new long[items.Count];
                    var batch = new NpgsqlBatch(connection, transaction);
                    await using (batch.ConfigureAwait(false))
                    {
                        foreach (var index in order)
                        {
                            batch.BatchCommands.Add(SaveCommand(appId, items[index]));
                        }

                        var reader = await batch.ExecuteReaderAsync(token).ConfigureAwait(false);
                        await using (reader.ConfigureAwait(false))
                        {
                            foreach (var index in order)
                            {
                                await reader.ReadAsync(token).ConfigureAwait(false);
                                versions[index] = reader.GetInt64(0);
                                await reader.NextResultAsync(token).ConfigureAwait(false);
                            }
                        }
                    }

                    if (transaction is not null)
                    {
                        await transaction.CommitAsync(token).ConfigureAwait(false);
                    }

                    return (IReadOnlyList<long>)versions;
                }
                finally
                {
                    if (transaction is not null)
                    {
                        await transaction.DisposeAsync().ConfigureAwait(false);
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<StoredConfigurationItem>> DeleteAsync(
        string appId, string group, string label, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return database.RunAsync(
            component,
            async (connection, token) =>
            {
                var command = new NpgsqlCommand(delete, connection)
                {
                    Parameters = { Text(name), Text(appId), Text(group), Text(label), new NpgsqlParameter<string[]> { TypedValue = [.. keys] } },
                };
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        var deleted = new List<StoredConfigurationItem>();
                        while (await reader.ReadAsync(token).ConfigureAwait(false))
                        {
                            deleted.Add(new StoredConfigurationItem(group, label, reader.GetString(0), null, Empty, Empty, reader.GetInt64(1)));
                        }

                        return (IReadOnlyList<StoredConfigurationItem>)[.. deleted.OrderBy(item => item.Key, StringComparer.Ordinal)];
                    }
                }
            },
            cancellationToken);
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken) => database.CheckHealthAsync(component, cancellationToken);

    private NpgsqlBatchCommand SaveCommand(string appId, ConfigurationItem item) => new(save)
    {
        Parameters =
        {
            Text(name), Text(appId), Text(item.Group), Text(item.Label), Text(item.Key), Text(item.Content),
            Json(item.Tags), Json(item.Metadata),
        },
    };

    private static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value };

    private static NpgsqlParameter<string> Json(IReadOnlyDictionary<string, string> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, TypedValue = JsonSerializer.Serialize(values) };

    private static Dictionary<string, string> FromJson(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
}
