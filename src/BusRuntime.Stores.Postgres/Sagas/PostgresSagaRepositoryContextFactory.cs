using MassTransit;
using MassTransit.Saga;
using Microsoft.Extensions.Logging;

namespace BusRuntime.Stores.Postgres.Sagas;

/// <summary>
/// Runs each message's saga work in a transaction of its own and commits it after the state machine is done
/// with the instance. Publishes and sends of that work are held by the endpoint's in-memory outbox, which
/// wraps this whole call, so they leave only when the commit succeeded.
/// </summary>
internal sealed class PostgresSagaRepositoryContextFactory<TSaga>(
    PostgresSagaTable<TSaga> table,
    PostgresSagaInstances<TSaga> instances,
    ISagaConsumeContextFactory<PostgresSagaSession<TSaga>, TSaga> factory,
    ILogger<PostgresSagaRepositoryContextFactory<TSaga>> logger)
    : ISagaRepositoryContextFactory<TSaga>, ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISagaVersion
{
    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class
    {
        var session = await PostgresSagaSession<TSaga>.BeginAsync(table, logger, context.CancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var repositoryContext = new PostgresSagaRepositoryContext<TSaga, T>(session, context, factory);
            await next.Send(repositoryContext).ConfigureAwait(false);
            await session.CommitAsync(context.CancellationToken).ConfigureAwait(false);
        }
    }

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class =>
        Task.FromException(new NotSupportedException(
            $"The PostgreSQL saga repository of {typeof(TSaga).Name} ({table.Name}) finds instances by CorrelationId only; correlate {typeof(T).Name} by id (CorrelateById) rather than by a query."));

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new PostgresLoadSagaRepositoryContext<TSaga>(instances, cancellationToken));

    public void Probe(ProbeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Add("persistence", "postgresql");
        context.Add("table", table.Name);
    }
}
