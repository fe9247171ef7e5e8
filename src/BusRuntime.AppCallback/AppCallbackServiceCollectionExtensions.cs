using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BusRuntime.AppCallback;

public static class AppCallbackServiceCollectionExtensions
{
    /// <summary>Adds the channel to the app's callback port and the loader of its topic subscriptions.</summary>
    public static IServiceCollection AddBusRuntimeAppCallback(this IServiceCollection services)
    {
        services.AddOptions<AppCallbackOptions>().BindConfiguration("BusRuntime").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<AppChannel>();
        services.TryAddSingleton<AppTopicEventHandler>();
        services.AddHostedService<AppSubscriptionLoader>();
        return services;
    }
}
