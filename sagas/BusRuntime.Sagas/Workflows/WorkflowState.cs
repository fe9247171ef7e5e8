using BusRuntime.Core.Workflows;
using MassTransit;

namespace BusRuntime.Sagas.Workflows;

/// <summary>
/// The saga instance of one workflow. Its public properties round-trip through JSON, which is how saga
/// repositories that persist it store it.
/// </summary>
public sealed class WorkflowState : SagaStateMachineInstance, ISagaVersion
{
    /// <summary>Derived from <see cref="InstanceId"/> (<see cref="WorkflowInstanceIds.ToCorrelationId"/>); also the routing slip's tracking number.</summary>
    public Guid CorrelationId { get; set; }

    public int Version { get; set; }

    /// <summary>The state machine's state: a <see cref="WorkflowStatus"/> name.</summary>
    public string CurrentState { get; set; } = "";

    public string InstanceId { get; set; } = "";

    public string WorkflowName { get; set; } = "";

    /// <summary>The app whose sidecar started the workflow.</summary>
    public string StartedBy { get; set; } = "";

    public int InputSize { get; set; }

    public IReadOnlyList<WorkflowStepRecord> Steps { get; set; } = [];

    /// <summary>The index of the step that runs next (or failed); the step count once all completed.</summary>
    public int CurrentStep { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public WorkflowError? Error { get; set; }

    /// <summary>Set by TerminateWorkflow; the step activity checks it before it runs a step.</summary>
    public string? TerminateReason { get; set; }

    /// <summary>
    /// The message id of the StartWorkflow that created the instance: the broker redelivers a start under the
    /// same id when the sidecar died after saving the instance but before its routing slip was sent.
    /// </summary>
    public Guid? StartMessageId { get; set; }

    /// <summary>The reason compensation failed, when it did.</summary>
    public string? CompensationError { get; set; }

    /// <summary>The instance as the façades show it.</summary>
    public WorkflowInstance ToInstance() => new()
    {
        InstanceId = InstanceId,
        WorkflowName = WorkflowName,
        Status = Enum.Parse<WorkflowStatus>(CurrentState),
        CurrentStep = CurrentStep,
        StartedBy = StartedBy,
        InputSize = InputSize,
        Steps = Steps,
        StartedAt = StartedAt,
        EndedAt = EndedAt,
        Error = Error,
        TerminateReason = TerminateReason,
        CompensationError = CompensationError,
    };
}
