namespace BusRuntime.Core.Workflows;

/// <summary>
/// One step of a workflow: invoke <paramref name="Method"/> of <paramref name="AppId"/> with
/// <paramref name="Data"/> (null: the previous step's output, or the workflow's input for the first step);
/// on a later failure, invoke <paramref name="CompensationMethod"/> (if any) with this step's output.
/// </summary>
public sealed record WorkflowStep(string AppId, string Method, byte[]? Data = null, string? CompensationMethod = null);
