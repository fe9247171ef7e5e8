using BusRuntime.Core.DeadLetters;
using BusRuntime.Core.Resilience;
using BusRuntime.Sagas.Activities;
using BusRuntime.Sagas.Configuration;
using BusRuntime.Sagas.Workflows;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BusRuntime.Sagas;

public static class SagasServiceCollectionExtensions
{
    /// <summary>
    /// Adds workflows: named definitions (validated at start-up), the saga, the step activity and their
    /// endpoints. With BusRuntime:Postgres set the instances live in PostgreSQL (register the saga with the bus
    /// through <see cref="WorkflowSagaRegistration.AddBusRuntimeWorkflowSaga"/>) and the endpoints are shared;
    /// otherwise in MassTransit's in-memory repository, on endpoints of this sidecar alone.
    /// </summary>
    public static IServiceCollection AddBusRuntimeWorkflows(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (WorkflowSagaRegistration.UsesPostgres(configuration))
        {
            services.TryAddSingleton<IWorkflowInstances, PostgresWorkflowInstances>();
            services.TryAddSingleton<IWorkflowSagaPlacement, RegisteredWorkflowSagaPlacement>();
            // Shared, durable queues: what dead-letters there stays until an operator redrives it.
            foreach (var suffix in WorkflowEndpoints.QueueSuffixes)
            {
                services.AddSingleton(provider => new OperatedQueue(provider.GetRequiredService<IOptions<WorkflowsOptions>>().Value.WorkflowQueuePrefix + suffix));
            }
        }
        else
        {
            services.TryAddSingleton<InMemorySagaRepository<WorkflowState>>();
            services.TryAddSingleton<ILoadSagaRepository<WorkflowState>>(provider => provider.GetRequiredService<InMemorySagaRepository<WorkflowState>>());
            services.TryAddSingleton<IQuerySagaRepository<WorkflowState>>(provider => provider.GetRequiredService<InMemorySagaRepository<WorkflowState>>());
            services.TryAddSingleton<IWorkflowInstances, SagaRepositoryWorkflowInstances>();
            services.TryAddSingleton<IWorkflowSagaPlacement, InMemoryWorkflowSagaPlacement>();
        }

        services.AddOptions<WorkflowsOptions>().BindConfiguration(WorkflowsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkflowsOptions>, WorkflowsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WorkflowTopology>();
        services.TryAddSingleton<WorkflowStateMachine>();
        services.TryAddSingleton<WorkflowManager>();
        services.AddBusRuntimeResiliencePipeline(ResiliencePipelines.WorkflowEndpoints, WorkflowEndpoints.ConfigureRetry);
        services.AddBusRuntimeResiliencePipeline(ResiliencePipelines.WorkflowStep, (builder, _) => StepActivity.ConfigureRetry(builder));
        services.AddHostedService<WorkflowEndpoints>();
        return services;
    }
}
