using MassTransit;
using MassTransit.Middleware;
using MassTransit.Saga;

namespace BusRuntime.Stores.Postgres.Sagas;

/// <summary>MassTransit's <see cref="ILoadSagaRepository{TSaga}"/> reads through this: one instance by id, outside any message.</summary>
internal sealed class PostgresLoadSagaRepositoryContext<TSaga>(PostgresSagaInstances<TSaga> instances, CancellationToken cancellationToken)
    : BasePipeContext(cancellationToken), LoadSagaRepositoryContext<TSaga>
    where TSaga : class, ISagaVersion
{
    public async Task<TSaga> Load(Guid correlationId) =>
        (await instances.GetAsync(correlationId, CancellationToken).ConfigureAwait(false))?.Saga!;
}
