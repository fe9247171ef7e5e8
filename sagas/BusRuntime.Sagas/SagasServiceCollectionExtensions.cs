using BusRuntime.Sagas.Configuration;
using BusRuntime.Sagas.Workflows;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BusRuntime.Sagas;

public static class SagasServiceCollectionExtensions
{
    /// <summary>
    /// Adds workflows: named definitions (validated at start-up), the saga, the step activity and their
    /// endpoints. The saga repository is MassTransit's in-memory one unless a host registered another
    /// <see cref="IWorkflowSagaPlacement"/> and <see cref="IWorkflowInstances"/> first.
    /// </summary>
    public static IServiceCollection AddBusRuntimeWorkflows(this IServiceCollection services)
    {
        services.AddOptions<WorkflowsOptions>().BindConfiguration(WorkflowsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkflowsOptions>, WorkflowsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InMemorySagaRepository<WorkflowState>>();
        services.TryAddSingleton<ILoadSagaRepository<WorkflowState>>(provider => provider.GetRequiredService<InMemorySagaRepository<WorkflowState>>());
        services.TryAddSingleton<IQuerySagaRepository<WorkflowState>>(provider => provider.GetRequiredService<InMemorySagaRepository<WorkflowState>>());
        services.TryAddSingleton<WorkflowTopology>();
        services.TryAddSingleton<WorkflowStateMachine>();
        services.TryAddSingleton<IWorkflowInstances, SagaRepositoryWorkflowInstances>();
        services.TryAddSingleton<IWorkflowSagaPlacement, InMemoryWorkflowSagaPlacement>();
        services.TryAddSingleton<WorkflowManager>();
        services.AddHostedService<WorkflowEndpoints>();
        return services;
    }
}
