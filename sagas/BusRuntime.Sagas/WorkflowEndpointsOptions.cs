namespace BusRuntime.Sagas;

/// <summary>
/// Whether the workflow endpoints are shared by every sidecar on the broker. They may be only when the saga
/// repository is one all sidecars share (PostgreSQL); with the in-memory repository each sidecar runs its own
/// instances on queues of its own.
/// </summary>
public sealed class WorkflowEndpointsOptions
{
    public bool Shared { get; set; }
}
