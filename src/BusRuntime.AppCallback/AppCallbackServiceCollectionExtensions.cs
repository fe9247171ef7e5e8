using BusRuntime.AppCallback.Bindings;
using BusRuntime.AppCallback.Health;
using BusRuntime.AppCallback.Http;
using BusRuntime.AppCallback.Jobs;
using BusRuntime.AppCallback.Subscriptions;
using BusRuntime.Core.AppConfiguration;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Jobs;
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
        services.TryAddSingleton<HttpAppInvokeHandler>();
        services.TryAddSingleton<IAppConfigurationPush, HttpAppConfigurationPush>();
        services.AddBusRuntimeResiliencePipeline(ResiliencePipelines.AppSubscriptions, AppSubscriptionLoader.ConfigureRetry);
        services.AddBusRuntimeResiliencePipeline(ResiliencePipelines.AppInvocations, AppInvokeServer.ConfigureRetry);
        services.TryAddTransient<HealthGatedSubscriptions>();
        services.AddHostedService<AppSubscriptionLoader>();
        services.AddHostedService<HttpAppSubscriptionLoader>();
        services.AddHostedService<AppHealthProbe>();
        services.AddHostedService<AppInvokeServer>();
        services.TryAddTransient<AppApiTokenHandler>();
        AddHttpAppClient(services);
        services.TryAddSingleton<IInputBindingApp, AppInputBindingChannel>();
        services.AddHttpClient(AppInputBindingChannel.HttpClientName, (provider, client) =>
            {
                client.BaseAddress = provider.GetRequiredService<IOptions<AppChannelOptions>>().Value.AppAddress;
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<AppApiTokenHandler>();
        services.TryAddSingleton<IJobApp, AppJobChannel>();
        services.AddHttpClient(AppJobChannel.HttpClientName, (provider, client) =>
            {
                client.BaseAddress = provider.GetRequiredService<IOptions<AppChannelOptions>>().Value.AppAddress;
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<AppApiTokenHandler>();
        services.TryAddSingleton<InputBindings>();
        services.AddHostedService(provider => provider.GetRequiredService<InputBindings>());
        return services;
    }

    /// <summary>
    /// The one named client of an HTTP app: its address, no timeout of its own (each call is bounded by its caller: the
    /// event's delivery timeout, the invocation's deadline), no redirects followed and no cookies kept, so what the app
    /// answers reaches the caller as it is and nothing of one caller's leaks into another's call.
    /// </summary>
    private static void AddHttpAppClient(IServiceCollection services)
    {
        services.AddHttpClient(HttpAppClient.Name, (provider, client) =>
            {
                client.BaseAddress = provider.GetRequiredService<IOptions<AppChannelOptions>>().Value.AppAddress;
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = System.Net.DecompressionMethods.None,
                ConnectTimeout = TimeSpan.FromSeconds(5),
            })
            .AddHttpMessageHandler<AppApiTokenHandler>()
            .RemoveAllLoggers();
    }
}
