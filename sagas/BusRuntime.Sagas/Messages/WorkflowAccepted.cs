namespace BusRuntime.Sagas.Messages;

/// <summary>The saga took a start or terminate request and saved the instance; sent only after the save.</summary>
public sealed record WorkflowAccepted
{
    public required Guid CorrelationId { get; init; }

    public required string InstanceId { get; init; }

    /// <summary>The instance's state after the request.</summary>
    public required string Status { get; init; }
}
