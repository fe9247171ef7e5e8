using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;

namespace BusRuntime.Stores.Postgres.Sagas;

/// <summary>What MassTransit's saga pipe asks of the repository while one message is consumed, done in that message's session.</summary>
internal sealed class PostgresSagaRepositoryContext<TSaga, TMessage>(
    PostgresSagaSession<TSaga> session,
    ConsumeContext<TMessage> consumeContext,
    ISagaConsumeContextFactory<PostgresSagaSession<TSaga>, TSaga> factory)
    : ConsumeContextScope<TMessage>(consumeContext, session), SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISagaVersion
    where TMessage : class
{
    private readonly ConsumeContext<TMessage> message = consumeContext;

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        factory.CreateSagaConsumeContext(session, consumeContext, instance, mode);

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        factory.CreateSagaConsumeContext(session, message, instance, SagaConsumeContextMode.Add);

    /// <summary>Null when the instance exists already: the saga pipe then loads it and applies the message to it.</summary>
    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance) =>
        await session.InsertAsync(instance, CancellationToken).ConfigureAwait(false)
            ? await factory.CreateSagaConsumeContext(session, message, instance, SagaConsumeContextMode.Insert).ConfigureAwait(false)
            : null!;

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await session.LoadAsync(correlationId, CancellationToken).ConfigureAwait(false);
        return instance is null
            ? null!
            : await factory.CreateSagaConsumeContext(session, message, instance, SagaConsumeContextMode.Load).ConfigureAwait(false);
    }

    public Task Save(SagaConsumeContext<TSaga> context) => session.SaveAsync(context.Saga, CancellationToken);

    public Task Update(SagaConsumeContext<TSaga> context) => session.UpdateAsync(context.Saga, CancellationToken);

    public Task Delete(SagaConsumeContext<TSaga> context) => session.DeleteAsync(context.Saga, CancellationToken);

    // Nothing was written for a discarded or undone instance before the session commits; a rollback drops the rest.
    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> context) => Task.CompletedTask;
}
