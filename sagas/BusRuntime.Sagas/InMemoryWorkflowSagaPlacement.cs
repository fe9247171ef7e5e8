using BusRuntime.Sagas.Workflows;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Sagas;

/// <summary>
/// The embedded default: instances in MassTransit's in-memory repository, so only this sidecar knows them and
/// its saga and step endpoints are temporary queues of its own. The state machine and the repository are taken
/// when the saga's endpoint is configured, at the first workflow request (<see cref="WorkflowEndpoints"/>): building the
/// state machine is a few percent of a start-up's CPU that a sidecar without workflows does not need to spend.
/// </summary>
public sealed class InMemoryWorkflowSagaPlacement : IWorkflowSagaPlacement
{
    public bool Shared => false;

    public void ConfigureSaga(IBusRegistrationContext context, IReceiveEndpointConfigurator endpoint)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(endpoint);

        // Retries for a failure of the moment; the outbox holds the routing slip, the answers and the events
        // until the instance was saved, so nothing leaves for an unsaved change.
        endpoint.UseMessageRetry(retry => retry.Intervals(10, 50, 100, 250, 500, 1000, 2000));
        endpoint.UseInMemoryOutbox(context);
        endpoint.StateMachineSaga(context.GetRequiredService<WorkflowStateMachine>(), context.GetRequiredService<InMemorySagaRepository<WorkflowState>>());
    }
}
