namespace BusRuntime.Core.Workflows;

/// <summary>What happened to one step, in the order a step moves through them.</summary>
public enum WorkflowStepStatus
{
    Pending,
    Completed,
    Failed,
    Compensated,
    CompensationFailed,
}
