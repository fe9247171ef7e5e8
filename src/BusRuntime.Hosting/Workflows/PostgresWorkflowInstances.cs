using System.Text.Json;
using BusRuntime.Core.Workflows;
using BusRuntime.Sagas.Workflows;
using BusRuntime.Stores.Postgres.Sagas;

namespace BusRuntime.Hosting.Workflows;

/// <summary>Reads workflow instances from their PostgreSQL table, as every sidecar of the deployment sees them.</summary>
public sealed class PostgresWorkflowInstances(PostgresSagaInstances<WorkflowState> instances) : IWorkflowInstances
{
    public async Task<WorkflowState?> FindAsync(Guid correlationId, CancellationToken cancellationToken) =>
        (await instances.GetAsync(correlationId, cancellationToken).ConfigureAwait(false))?.Saga;

    /// <remarks>The table is indexed by the time of the last change; the page it returns is put in order of start.</remarks>
    public async Task<IReadOnlyList<WorkflowState>> ListAsync(WorkflowStatus? status, string? startedBy, int limit, CancellationToken cancellationToken)
    {
        // The saga's JSON (System.Text.Json's defaults) names the property as the type does.
        var containing = startedBy is null ? null : JsonSerializer.Serialize(new Dictionary<string, string> { [nameof(WorkflowState.StartedBy)] = startedBy });
        var rows = await instances.ListAsync(limit, status?.ToString(), containing, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(row => row.Saga).OrderByDescending(instance => instance.StartedAt).ThenBy(instance => instance.InstanceId, StringComparer.Ordinal)];
    }
}
