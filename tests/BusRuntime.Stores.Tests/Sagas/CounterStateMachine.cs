using MassTransit;

namespace BusRuntime.Stores.Tests.Sagas;

public sealed class CounterStateMachine : MassTransitStateMachine<CounterSaga>
{
    public CounterStateMachine(CounterProbe probe)
    {
        InstanceState(x => x.CurrentState);
        Event(() => Started, x =>
        {
            x.CorrelateById(context => context.Message.CorrelationId);
            if (probe.InsertOnInitial)
            {
                x.InsertOnInitial = true;
                x.SetSagaFactory(context => new CounterSaga { CorrelationId = context.Message.CorrelationId });
            }
        });
        Event(() => Incremented, x => x.CorrelateById(context => context.Message.CorrelationId));
        Event(() => Paused, x => x.CorrelateById(context => context.Message.CorrelationId));
        Event(() => Finished, x => x.CorrelateById(context => context.Message.CorrelationId));

        Initially(
            When(Started)
                .Then(context => context.Saga.Starts++)
                .TransitionTo(Active));

        During(
            Active,
            When(Started).Then(context => context.Saga.Starts++),
            When(Incremented)
                .Then(context => context.Saga.Count++)
                .ThenAsync(context => probe.OnIncrementAsync(context.Saga, context.GetRetryAttempt()))
                .Publish(context => new Counted(context.Saga.CorrelationId, context.Saga.Count, context.GetRetryAttempt())),
            When(Paused).TransitionTo(Stopped));

        During(
            Active,
            Stopped,
            When(Finished).Finalize());

        SetCompletedWhenFinalized();
    }

    public MassTransit.State Active { get; private set; } = null!;

    public MassTransit.State Stopped { get; private set; } = null!;

    public Event<Start> Started { get; private set; } = null!;

    public Event<Increment> Incremented { get; private set; } = null!;

    public Event<Pause> Paused { get; private set; } = null!;

    public Event<Finish> Finished { get; private set; } = null!;
}
