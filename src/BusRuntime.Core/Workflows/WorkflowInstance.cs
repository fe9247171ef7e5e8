namespace BusRuntime.Core.Workflows;

/// <summary>One workflow instance as the façades show it: where it is, its steps and what went wrong.</summary>
public sealed record WorkflowInstance
{
    public required string InstanceId { get; init; }

    public required string WorkflowName { get; init; }

    public required WorkflowStatus Status { get; init; }

    /// <summary>The index of the step that runs next (or failed); the step count once all completed.</summary>
    public int CurrentStep { get; init; }

    /// <summary>The app whose sidecar started the workflow.</summary>
    public required string StartedBy { get; init; }

    public int InputSize { get; init; }

    public required IReadOnlyList<WorkflowStepRecord> Steps { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public WorkflowError? Error { get; init; }

    public string? TerminateReason { get; init; }

    public string? CompensationError { get; init; }
}
