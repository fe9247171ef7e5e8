using Microsoft.Extensions.Logging;

namespace BusRuntime.Sagas;

internal static partial class Log
{
    [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "Workflow endpoints ready ({Placement}): saga {SagaAddress}, steps {ExecuteAddress}")]
    public static partial void EndpointsReady(ILogger logger, string placement, Uri sagaAddress, Uri executeAddress);

    [LoggerMessage(EventId = 801, Level = LogLevel.Warning, Message = "Workflow endpoints not connected yet (attempt {Attempt}): {Reason}")]
    public static partial void EndpointsNotYet(ILogger logger, int attempt, string reason);

    [LoggerMessage(EventId = 802, Level = LogLevel.Information, Message = "Workflow {InstanceId} ({WorkflowName}) started with {StepCount} steps")]
    public static partial void Started(ILogger logger, string instanceId, string workflowName, int stepCount);

    [LoggerMessage(EventId = 803, Level = LogLevel.Warning, Message = "Workflow {CorrelationId}: step {Step} runs without checking for a terminate request; the workflow store stayed unavailable: {Reason}")]
    public static partial void TerminateCheckSkipped(ILogger logger, Guid correlationId, int step, string reason);
}
