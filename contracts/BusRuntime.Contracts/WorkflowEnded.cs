namespace BusRuntime.Contracts;

/// <summary>
/// Published on the bus when a workflow instance reaches a final status, after its state was saved. .NET
/// services may consume it with an ordinary MassTransit consumer of <see cref="WorkflowEnded"/>.
/// </summary>
public sealed record WorkflowEnded
{
    /// <summary>The instance id the workflow was started with (or was given).</summary>
    public required string InstanceId { get; init; }

    /// <summary>The workflow's name; empty when it was started with its steps alone.</summary>
    public required string WorkflowName { get; init; }

    /// <summary>The app whose sidecar started the workflow.</summary>
    public required string StartedBy { get; init; }

    /// <summary>COMPLETED, FAILED, COMPENSATED, COMPENSATION_FAILED or TERMINATED.</summary>
    public required string Status { get; init; }

    /// <summary>Why the workflow did not complete: the failing step's or compensation's message, or the terminate reason.</summary>
    public string? Error { get; init; }

    /// <summary>When the saga accepted the start.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the saga saw the final status.</summary>
    public DateTimeOffset EndedAt { get; init; }
}
