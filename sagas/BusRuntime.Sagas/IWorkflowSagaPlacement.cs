using MassTransit;

namespace BusRuntime.Sagas;

/// <summary>
/// Where the workflow saga keeps its instances, and what follows for its endpoint: a repository every sidecar
/// shares (PostgreSQL) lets all sidecars share the saga and step queues; one in this process's memory does not.
/// </summary>
public interface IWorkflowSagaPlacement
{
    /// <summary>Whether the saga and step queues are shared by every sidecar of the deployment.</summary>
    bool Shared { get; }

    /// <summary>Puts the saga, with its repository, on the saga's receive endpoint.</summary>
    void ConfigureSaga(IBusRegistrationContext context, IReceiveEndpointConfigurator endpoint);
}
