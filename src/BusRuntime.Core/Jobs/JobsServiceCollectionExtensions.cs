using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BusRuntime.Core.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the jobs API (<see cref="JobScheduler"/>) and the due-job loop (<see cref="JobRunner"/>); the host adds an
    /// <see cref="IJobStore"/> and the app's <see cref="IJobApp"/>.
    /// </summary>
    public static IServiceCollection AddBusRuntimeJobs(this IServiceCollection services)
    {
        services.AddOptions<JobOptions>().BindConfiguration(JobOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JobWakeup>();
        services.TryAddSingleton<JobScheduler>();
        services.AddHostedService<JobRunner>();
        return services;
    }
}
