using BusRuntime.Core.Errors;
using BusRuntime.Core.Workflows;
using MassTransit;
using MassTransit.Saga;

namespace BusRuntime.Sagas.Workflows;

/// <summary>
/// Reads workflow instances through MassTransit's load and query repositories (the in-memory repository has
/// both); listing loads every match, which suits a repository in memory.
/// </summary>
public sealed class SagaRepositoryWorkflowInstances(ILoadSagaRepository<WorkflowState> load, IQuerySagaRepository<WorkflowState> query) : IWorkflowInstances
{
    public async Task<WorkflowState?> FindAsync(Guid correlationId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await load.Load(correlationId).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not RuntimeException and not OperationCanceledException)
        {
            throw RuntimeException.Unavailable($"the workflow store could not be read: {exception.Message}", exception);
        }
    }

    public async Task<IReadOnlyList<WorkflowState>> ListAsync(WorkflowStatus? status, string? startedBy, int limit, CancellationToken cancellationToken)
    {
        var state = status?.ToString();
        IEnumerable<Guid> ids;
        try
        {
            ids = await query.Find(new SagaQuery<WorkflowState>(instance =>
                (state == null || instance.CurrentState == state) && (startedBy == null || instance.StartedBy == startedBy))).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not RuntimeException and not OperationCanceledException)
        {
            throw RuntimeException.Unavailable($"the workflow store could not be read: {exception.Message}", exception);
        }

        var instances = new List<WorkflowState>();
        foreach (var id in ids)
        {
            if (await FindAsync(id, cancellationToken).ConfigureAwait(false) is { } instance)
            {
                instances.Add(instance);
            }
        }

        return [.. instances.OrderByDescending(instance => instance.StartedAt).ThenBy(instance => instance.InstanceId, StringComparer.Ordinal).Take(limit)];
    }
}
