using BusRuntime.Core.Security;

namespace BusRuntime.Core.Workflows;

/// <summary>
/// Workflows as the façades call them: start, read, terminate and list instances. The saga that runs them
/// lives above Core (BusRuntime.Sagas); every method answers with <see cref="Errors.RuntimeException"/> on bad input
/// or when the saga cannot be reached.
/// </summary>
public interface IWorkflows
{
    /// <summary>
    /// Starts a workflow and returns its instance id once it is saved. The steps are <paramref name="steps"/>, or
    /// when there are none, those of the workflow named <paramref name="workflowName"/> in configuration.
    /// </summary>
    Task<string> StartAsync(string? workflowName, string? instanceId, ReadOnlyMemory<byte> input, IReadOnlyList<WorkflowStep> steps, CancellationToken cancellationToken);

    /// <summary>
    /// The instance <paramref name="instanceId"/> of <paramref name="appId"/> (empty: the sidecar's app; instance ids are
    /// per app); PERMISSION_DENIED for another app outside <paramref name="view"/>, NOT_FOUND when there is none.
    /// </summary>
    Task<WorkflowInstance> GetAsync(OperationsView view, string instanceId, string? appId, CancellationToken cancellationToken);

    /// <summary>
    /// Runs no further step of the sidecar's app's instance and compensates what completed; NOT_FOUND (also for an id
    /// only another app started) or FAILED_PRECONDITION (already ended).
    /// </summary>
    Task TerminateAsync(string instanceId, string? reason, CancellationToken cancellationToken);

    /// <summary>
    /// The most recently started instances in <paramref name="view"/> (the app's own, or every app's), of one status
    /// (its UPPER_SNAKE name) when <paramref name="status"/> is set.
    /// </summary>
    Task<IReadOnlyList<WorkflowInstance>> ListAsync(OperationsView view, string? status, int limit, CancellationToken cancellationToken);
}
