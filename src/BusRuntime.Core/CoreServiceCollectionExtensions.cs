using BusRuntime.Core.Configuration;
using BusRuntime.Core.PubSub;
using BusRuntime.Core.Subscriptions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>Adds the runtime's options (validated at start-up) and its pub/sub primitive.</summary>
    public static IServiceCollection AddBusRuntimeCore(this IServiceCollection services)
    {
        services.AddOptions<RuntimeOptions>().BindConfiguration(RuntimeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ComponentsOptions>().BindConfiguration(RuntimeOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ComponentsOptions>, ComponentsOptionsValidator>());
        services.AddOptions<PubSubOptions>().BindConfiguration(PubSubOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<PubSubMetrics>();
        services.TryAddSingleton<PubSubComponents>();
        services.TryAddSingleton<TopicPublisher>();
        services.TryAddSingleton<TopicSubscriptions>();
        return services;
    }
}
