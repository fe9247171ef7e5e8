using BusRuntime.Core.Errors;
using MassTransit;
using Npgsql;
using NpgsqlTypes;

namespace BusRuntime.Stores.Postgres.Sagas;

/// <summary>
/// Reads the instances of <typeparamref name="TSaga"/> for operators and façades (GetWorkflow, a CLI list):
/// one by id, or the most recently written ones, optionally in one state. Registered as a singleton by
/// <see cref="PostgresSagaRepositoryRegistrationExtensions.PostgresRepository{TSaga}(ISagaRegistrationConfigurator{TSaga}, string, Action{PostgresSagaRepositoryOptions{TSaga}}?)"/>.
/// A database that cannot be reached throws <see cref="RuntimeException"/> UNAVAILABLE naming the table.
/// </summary>
public sealed class PostgresSagaInstances<TSaga>
    where TSaga : class, ISagaVersion
{
    /// <summary>The most instances one <see cref="ListAsync(int, string?, string?, CancellationToken)"/> returns.</summary>
    public const int MaxLimit = 1000;

    private readonly PostgresSagaTable<TSaga> table;

    internal PostgresSagaInstances(PostgresSagaTable<TSaga> table) => this.table = table;

    /// <summary>The instance with <paramref name="correlationId"/>, or null when there is none (never created, or finalized and removed).</summary>
    public Task<PostgresSagaInstance<TSaga>?> GetAsync(Guid correlationId, CancellationToken cancellationToken) =>
        table.ReadAsync(
            async (connection, token) =>
            {
                var command = new NpgsqlCommand(table.GetSql, connection) { Parameters = { new NpgsqlParameter<Guid> { TypedValue = correlationId } } };
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        return await reader.ReadAsync(token).ConfigureAwait(false) ? table.ReadInstance(reader) : null;
                    }
                }
            },
            cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> instances (1 to <see cref="MaxLimit"/>), the most recently written first;
    /// only those whose current_state is <paramref name="currentState"/> when it is not null.
    /// </summary>
    public Task<IReadOnlyList<PostgresSagaInstance<TSaga>>> ListAsync(int limit, string? currentState, CancellationToken cancellationToken) =>
        ListAsync(limit, currentState, null, cancellationToken);

    /// <summary>
    /// As <see cref="ListAsync(int, string?, CancellationToken)"/>, and only the instances whose JSON contains
    /// <paramref name="dataContains"/> (a JSON object, PostgreSQL's <c>@&gt;</c>) when it is not null.
    /// </summary>
    public Task<IReadOnlyList<PostgresSagaInstance<TSaga>>> ListAsync(int limit, string? currentState, string? dataContains, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxLimit)
        {
            throw RuntimeException.InvalidArgument($"limit must be between 1 and {MaxLimit}, not {limit}.");
        }

        return table.ReadAsync<IReadOnlyList<PostgresSagaInstance<TSaga>>>(
            async (connection, token) =>
            {
                var command = new NpgsqlCommand(table.ListSql, connection)
                {
                    Parameters =
                    {
                        new NpgsqlParameter<int> { TypedValue = limit },
                        PostgresSagaTable<TSaga>.NullableText(currentState),
                        new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)dataContains ?? DBNull.Value },
                    },
                };
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        var instances = new List<PostgresSagaInstance<TSaga>>();
                        while (await reader.ReadAsync(token).ConfigureAwait(false))
                        {
                            instances.Add(table.ReadInstance(reader));
                        }

                        return instances;
                    }
                }
            },
            cancellationToken);
    }
}
