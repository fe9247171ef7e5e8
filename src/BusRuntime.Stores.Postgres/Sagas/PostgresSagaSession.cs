using MassTransit;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BusRuntime.Stores.Postgres.Sagas;

/// <summary>
/// The transaction in which one message reads and writes its saga instance. Writes check the version the
/// instance was read at, so a concurrent change makes the message's attempt fail with MassTransit's
/// <see cref="ConcurrencyException"/> (and the endpoint's retry runs it again on the new version) instead of
/// overwriting it. Disposing without <see cref="CommitAsync"/> rolls everything back.
/// </summary>
internal sealed class PostgresSagaSession<TSaga>(PostgresSagaTable<TSaga> table, NpgsqlConnection connection, NpgsqlTransaction transaction, ILogger logger)
    : IAsyncDisposable
    where TSaga : class, ISagaVersion
{
    public static async Task<PostgresSagaSession<TSaga>> BeginAsync(PostgresSagaTable<TSaga> table, ILogger logger, CancellationToken cancellationToken)
    {
        NpgsqlConnection? connection = null;
        try
        {
            connection = await table.OpenAsync(cancellationToken).ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new PostgresSagaSession<TSaga>(table, connection, transaction, logger);
        }
        catch (NpgsqlException exception)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw table.Translate(exception, cancellationToken);
        }
    }

    /// <summary>
    /// Inserts a new instance at version 1 unless one with its id exists (ON CONFLICT DO NOTHING, since a failed
    /// INSERT would abort the whole transaction); says whether this one was inserted.
    /// </summary>
    public async Task<bool> InsertAsync(TSaga saga, CancellationToken cancellationToken)
    {
        saga.Version = 1;
        var inserted = await ExecuteAsync(
            table.InsertSql,
            [
                new NpgsqlParameter<Guid> { TypedValue = saga.CorrelationId },
                new NpgsqlParameter<int> { TypedValue = saga.Version },
                PostgresSagaTable<TSaga>.NullableText(table.StateOf(saga)),
                PostgresSagaTable<TSaga>.Json(table.Serialize(saga)),
            ],
            cancellationToken).ConfigureAwait(false);
        return inserted == 1;
    }

    /// <summary>Inserts a new instance; throws <see cref="ConcurrencyException"/> when another message inserted it first.</summary>
    public async Task SaveAsync(TSaga saga, CancellationToken cancellationToken)
    {
        if (!await InsertAsync(saga, cancellationToken).ConfigureAwait(false))
        {
            Log.VersionConflict(logger, typeof(TSaga).Name, saga.CorrelationId, 0);
            throw new ConcurrencyException(
                "it was created by another message meanwhile; this one is applied to it when tried again.",
                typeof(TSaga),
                saga.CorrelationId);
        }
    }

    public async Task<TSaga?> LoadAsync(Guid correlationId, CancellationToken cancellationToken)
    {
        try
        {
            var command = new NpgsqlCommand(table.LoadSql, connection, transaction) { Parameters = { new NpgsqlParameter<Guid> { TypedValue = correlationId } } };
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                        ? table.Deserialize(correlationId, reader.GetInt32(0), reader.GetString(1))
                        : null;
                }
            }
        }
        catch (NpgsqlException exception)
        {
            throw table.Translate(exception, cancellationToken);
        }
    }

    /// <summary>Writes the instance as the next version of the one it was read at.</summary>
    public async Task UpdateAsync(TSaga saga, CancellationToken cancellationToken)
    {
        var expected = saga.Version;
        saga.Version = expected + 1;
        var updated = await ExecuteAsync(
            table.UpdateSql,
            [
                new NpgsqlParameter<Guid> { TypedValue = saga.CorrelationId },
                new NpgsqlParameter<int> { TypedValue = expected },
                new NpgsqlParameter<int> { TypedValue = saga.Version },
                PostgresSagaTable<TSaga>.NullableText(table.StateOf(saga)),
                PostgresSagaTable<TSaga>.Json(table.Serialize(saga)),
            ],
            cancellationToken).ConfigureAwait(false);
        if (updated == 0)
        {
            saga.Version = expected;
            throw Conflict(saga, expected);
        }
    }

    /// <summary>Deletes a finalized instance, provided nobody changed it since it was read.</summary>
    public async Task DeleteAsync(TSaga saga, CancellationToken cancellationToken)
    {
        var deleted = await ExecuteAsync(
            table.DeleteSql,
            [new NpgsqlParameter<Guid> { TypedValue = saga.CorrelationId }, new NpgsqlParameter<int> { TypedValue = saga.Version }],
            cancellationToken).ConfigureAwait(false);
        if (deleted == 0)
        {
            throw Conflict(saga, saga.Version);
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw table.Translate(exception, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync().ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    // MassTransit's message already names the saga type and id.
    private ConcurrencyException Conflict(TSaga saga, int expected)
    {
        Log.VersionConflict(logger, typeof(TSaga).Name, saga.CorrelationId, expected);
        return new ConcurrencyException(
            $"no longer at version {expected}: another message changed or removed it; this one is applied again to what it became.",
            typeof(TSaga),
            saga.CorrelationId);
    }

    private async Task<int> ExecuteAsync(string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken)
    {
        try
        {
            var command = new NpgsqlCommand(sql, connection, transaction);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.AddRange(parameters);
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException exception)
        {
            throw table.Translate(exception, cancellationToken);
        }
    }
}
