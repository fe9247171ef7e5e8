using BusRuntime.Core.Errors;

namespace BusRuntime.Sagas.Messages;

/// <summary>The saga refused a request: the error code the caller gets and a message naming why.</summary>
public sealed record WorkflowRejected
{
    public required Guid CorrelationId { get; init; }

    public required ErrorCode Code { get; init; }

    public required string Message { get; init; }
}
