using BusRuntime.Core.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BusRuntime.AppCallback;

public static class AppCallbackServiceCollectionExtensions
{
    /// <summary>Adds the channel to the app's callback port, the loader of its topic subscriptions and the server of its invocations.</summary>
    public static IServiceCollection AddBusRuntimeAppCallback(this IServiceCollection services)
    {
        services.TryAddSingleton<AppChannel>();
        services.TryAddSingleton<AppTopicEventHandler>();
        services.TryAddSingleton<LayottoAppTopicEventHandler>();
        services.TryAddSingleton<AppInvokeHandler>();
        services.AddBusRuntimeResiliencePipeline(ResiliencePipelines.AppSubscriptions, AppSubscriptionLoader.ConfigureRetry);
        services.AddBusRuntimeResiliencePipeline(ResiliencePipelines.AppInvocations, AppInvokeServer.ConfigureRetry);
        services.AddHostedService<AppSubscriptionLoader>();
        services.AddHostedService<AppInvokeServer>();
        return services;
    }
}
