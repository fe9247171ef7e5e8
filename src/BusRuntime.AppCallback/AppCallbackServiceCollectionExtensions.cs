using BusRuntime.AppCallback.Bindings;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BusRuntime.AppCallback;

public static class AppCallbackServiceCollectionExtensions
{
    /// <summary>Adds the channel to the app's callback port, the loader of its topic subscriptions, the server of its invocations and the reader of its input bindings.</summary>
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
        services.TryAddSingleton<IInputBindingApp, AppInputBindingChannel>();
        services.AddHttpClient(AppInputBindingChannel.HttpClientName, (provider, client) =>
        {
            client.BaseAddress = provider.GetRequiredService<IOptions<AppChannelOptions>>().Value.AppAddress;
            client.Timeout = Timeout.InfiniteTimeSpan;
        });
        services.TryAddSingleton<InputBindings>();
        services.AddHostedService(provider => provider.GetRequiredService<InputBindings>());
        return services;
    }
}
