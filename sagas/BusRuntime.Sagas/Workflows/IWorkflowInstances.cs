using BusRuntime.Core.Workflows;

namespace BusRuntime.Sagas.Workflows;

/// <summary>Reads workflow instances from wherever the saga repository keeps them.</summary>
public interface IWorkflowInstances
{
    /// <summary>The instance, or null when there is none. UNAVAILABLE when the store cannot be read.</summary>
    Task<WorkflowState?> FindAsync(Guid correlationId, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> instances, the most recently started first; of one status when <paramref name="status"/>
    /// is set, started by one app when <paramref name="startedBy"/> is.
    /// </summary>
    Task<IReadOnlyList<WorkflowState>> ListAsync(WorkflowStatus? status, string? startedBy, int limit, CancellationToken cancellationToken);
}
