namespace BusRuntime.Core.Workflows;

/// <summary>Where a workflow instance is; the names are the saga's states.</summary>
public enum WorkflowStatus
{
    Running,
    Completed,

    /// <summary>A step failed and no completed step had anything to compensate.</summary>
    Failed,

    /// <summary>A step failed (or the workflow was terminated) and the completed steps are being compensated, last first.</summary>
    Compensating,
    Compensated,
    CompensationFailed,

    /// <summary>Terminated on request; what had completed was compensated.</summary>
    Terminated,
}
