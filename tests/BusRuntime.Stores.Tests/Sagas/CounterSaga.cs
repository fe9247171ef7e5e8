using MassTransit;

namespace BusRuntime.Stores.Tests.Sagas;

public sealed class CounterSaga : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }

    public int Version { get; set; }

    public string CurrentState { get; set; } = "";

    /// <summary>Start messages applied: racing starts all count, on one instance.</summary>
    public int Starts { get; set; }

    public int Count { get; set; }
}
