namespace BusRuntime.Sagas.Messages;

/// <summary>Asks the workflow saga to run no further step and compensate what completed; answered with <see cref="WorkflowAccepted"/> or <see cref="WorkflowRejected"/>.</summary>
public sealed record TerminateWorkflow
{
    public required Guid CorrelationId { get; init; }

    public required string InstanceId { get; init; }

    public string Reason { get; init; } = "";
}
