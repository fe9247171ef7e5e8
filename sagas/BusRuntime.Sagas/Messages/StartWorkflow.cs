using BusRuntime.Core.Workflows;

namespace BusRuntime.Sagas.Messages;

/// <summary>Asks the workflow saga to create an instance and run its steps; answered with <see cref="WorkflowAccepted"/> or <see cref="WorkflowRejected"/>.</summary>
public sealed record StartWorkflow
{
    public required Guid CorrelationId { get; init; }

    public required string InstanceId { get; init; }

    public string WorkflowName { get; init; } = "";

    public required string StartedBy { get; init; }

    public byte[] Input { get; init; } = [];

    public required IReadOnlyList<WorkflowStep> Steps { get; init; }
}
