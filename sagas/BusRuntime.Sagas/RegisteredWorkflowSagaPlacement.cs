using BusRuntime.Sagas.Workflows;
using MassTransit;

namespace BusRuntime.Sagas;

/// <summary>
/// Instances in the saga repository registered with the bus (PostgreSQL, <see cref="WorkflowSagaRegistration"/>):
/// every sidecar reads and writes the same rows, so all of them share the saga and step queues.
/// </summary>
public sealed class RegisteredWorkflowSagaPlacement : IWorkflowSagaPlacement
{
    public bool Shared => true;

    public void ConfigureSaga(IBusRegistrationContext context, IReceiveEndpointConfigurator endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        endpoint.UseSagaConcurrencyRetryAndOutbox(context);
        endpoint.ConfigureSaga<WorkflowState>(context);
    }
}
