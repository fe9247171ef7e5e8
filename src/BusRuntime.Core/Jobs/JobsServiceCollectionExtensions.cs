using BusRuntime.Core.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BusRuntime.Core.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the jobs API (<see cref="JobScheduler"/>), the due-job loop (<see cref="JobRunner"/>) and the consumer of the
    /// app's jobs queue (<see cref="JobTickServer"/>), after the bus (they send and consume on it); the host adds an
    /// <see cref="IJobStore"/> and the app's <see cref="IJobApp"/>.
    /// </summary>
    public static IServiceCollection AddBusRuntimeJobs(this IServiceCollection services)
    {
        services.AddOptions<JobOptions>().BindConfiguration(JobOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JobWakeup>();
        services.TryAddSingleton<JobScheduler>();
        services.TryAddSingleton<IJobDelivery, BusJobDelivery>();
        services.AddBusRuntimeResiliencePipeline(ResiliencePipelines.AppJobs, JobTickServer.ConfigureRetry);
        services.AddHostedService<JobTickServer>();
        services.AddHostedService<JobRunner>();
        return services;
    }
}
