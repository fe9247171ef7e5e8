namespace BusRuntime.Core.Workflows;

/// <summary>
/// One step of an instance as the saga keeps it: what it calls and what came of it. Immutable, so a reader of
/// an in-memory instance never sees a record half-written.
/// </summary>
public sealed record WorkflowStepRecord
{
    public required string AppId { get; init; }

    public required string Method { get; init; }

    public string? CompensationMethod { get; init; }

    /// <summary>Whether the step has data of its own (else it takes the previous output or the input).</summary>
    public bool HasData { get; init; }

    public WorkflowStepStatus Status { get; init; }

    /// <summary>The size of the step's output in bytes, once it completed.</summary>
    public int? OutputSize { get; init; }

    /// <summary>The gRPC status name of the failure (of the step, or of its compensation), e.g. "UNAVAILABLE".</summary>
    public string? ErrorStatus { get; init; }

    public string? ErrorMessage { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }
}
