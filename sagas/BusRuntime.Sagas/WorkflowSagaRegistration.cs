using BusRuntime.Sagas.Workflows;
using MassTransit;

namespace BusRuntime.Sagas;

public static class WorkflowSagaRegistration
{
    /// <summary>
    /// Registers the workflow saga with the bus on the repository <paramref name="repository"/> chooses (one that
    /// every sidecar shares, such as PostgreSQL's), for <see cref="SagasServiceCollectionExtensions.AddBusRuntimeSharedWorkflows"/>.
    /// </summary>
    public static void AddBusRuntimeWorkflowSaga(this IBusRegistrationConfigurator bus, Action<ISagaRegistrationConfigurator<WorkflowState>> repository)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(repository);
        repository(bus.AddSagaStateMachine<WorkflowStateMachine, WorkflowState>());
    }
}
