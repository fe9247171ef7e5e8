using BusRuntime.Core.DeadLetters;
using BusRuntime.Core.Resilience;
using BusRuntime.Core.Workflows;
using BusRuntime.Sagas.Activities;
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
    /// endpoints. Unless <see cref="AddBusRuntimeSharedWorkflows"/> was called first, the instances live in
    /// MassTransit's in-memory repository, on endpoints of this sidecar alone.
    /// </summary>
    public static IServiceCollection AddBusRuntimeWorkflows(this IServiceCollection services)
    {
        services.TryAddSingleton<InMemorySagaRepository<WorkflowState>>();
        services.TryAddSingleton<ILoadSagaRepository<WorkflowState>>(provider => provider.GetRequiredService<InMemorySagaRepository<WorkflowState>>());
        services.TryAddSingleton<IQuerySagaRepository<WorkflowState>>(provider => provider.GetRequiredService<InMemorySagaRepository<WorkflowState>>());
        services.TryAddSingleton<IWorkflowInstances, SagaRepositoryWorkflowInstances>();
        services.TryAddSingleton<IWorkflowSagaPlacement, InMemoryWorkflowSagaPlacement>();

        services.AddOptions<WorkflowsOptions>().BindConfiguration(WorkflowsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkflowsOptions>, WorkflowsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WorkflowTopology>();
        services.TryAddSingleton<WorkflowStateMachine>();
        services.TryAddSingleton<WorkflowManager>();
        services.TryAddSingleton<IWorkflows>(provider => provider.GetRequiredService<WorkflowManager>());
        services.AddBusRuntimeResiliencePipeline(ResiliencePipelines.WorkflowEndpoints, WorkflowEndpoints.ConfigureRetry);
        services.AddBusRuntimeResiliencePipeline(ResiliencePipelines.WorkflowStep, (builder, _) => StepActivity.ConfigureRetry(builder));
        services.AddHostedService<WorkflowEndpoints>();
        return services;
    }

    /// <summary>
    /// Shares the workflows of every sidecar of the deployment: the saga is registered with the bus on a repository
    /// every sidecar reads and writes (<see cref="WorkflowSagaRegistration.AddBusRuntimeWorkflowSaga"/>), whose
    /// instances <typeparamref name="TInstances"/> reads, and the saga and step queues are durable and shared.
    /// </summary>
    public static IServiceCollection AddBusRuntimeSharedWorkflows<TInstances>(this IServiceCollection services)
        where TInstances : class, IWorkflowInstances
    {
        services.TryAddSingleton<IWorkflowInstances, TInstances>();
        services.TryAddSingleton<IWorkflowSagaPlacement, RegisteredWorkflowSagaPlacement>();
        // Shared, durable queues: what dead-letters there stays until an operator redrives it.
        foreach (var suffix in WorkflowEndpoints.QueueSuffixes)
        {
            services.AddSingleton(provider => new OperatedQueue(provider.GetRequiredService<IOptions<WorkflowsOptions>>().Value.WorkflowQueuePrefix + suffix));
        }

        return services;
    }
}
