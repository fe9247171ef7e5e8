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

    /// <summary>The instance; NOT_FOUND when there is none.</summary>
    Task<WorkflowInstance> GetAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Runs no further step of the instance and compensates what completed; NOT_FOUND or FAILED_PRECONDITION (already ended).</summary>
    Task TerminateAsync(string instanceId, string? reason, CancellationToken cancellationToken);

    /// <summary>The most recently started instances, of one status (its UPPER_SNAKE name) when <paramref name="status"/> is set.</summary>
    Task<IReadOnlyList<WorkflowInstance>> ListAsync(string? status, int limit, CancellationToken cancellationToken);
}
