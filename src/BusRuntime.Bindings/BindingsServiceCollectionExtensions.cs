using BusRuntime.Bindings.Cron;
using BusRuntime.Bindings.Http;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Locks;
using BusRuntime.Core.Resilience;
using BusRuntime.Core.Schedules;
using BusRuntime.Core.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace BusRuntime.Bindings;

public static class BindingsServiceCollectionExtensions
{
    /// <summary>
    /// Makes the output binding type bindings.http available: one HTTP connection pool per component, redirects not
    /// followed, each call bounded by the component's timeout in the pipeline <see cref="ResiliencePipelines.BindingHttp"/>.
    /// </summary>
    public static IServiceCollection AddBusRuntimeHttpBinding(this IServiceCollection services)
    {
        services.AddOptions();
        services.AddBusRuntimeResiliencePipeline(ResiliencePipelines.BindingHttp, (builder, context) =>
        {
            // Keyed by a bindings.http component's name; a key naming none gets the default timeout.
            var provider = context.ServiceProvider;
            builder.AddTimeout(Component(provider, context.PipelineKey.Target) is { } component ? Settings(provider, component).Timeout : HttpBindingSettings.DefaultTimeout);
        });
        services.AddSingleton<IStoreFactory<IOutputBinding>>(provider =>
            new StoreFactory<IOutputBinding>(ComponentTypes.BindingsHttp, component =>
            {
                var settings = Settings(provider, component);
                var pipeline = provider.GetRequiredService<ResiliencePipelineProvider<ResiliencePipelineKey>>()
                    .GetPipeline(new ResiliencePipelineKey(ResiliencePipelines.BindingHttp, component.Name));
                var handler = new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                    ConnectTimeout = settings.Timeout,
                };
                return new HttpOutputBinding(component.Name, settings, new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, pipeline);
            }));
        return services;
    }

    /// <summary>
    /// Makes the input binding type bindings.cron available: its schedule is read when the sidecar starts (a bad one stops
    /// start-up naming the component), and each tick goes to one replica of the app, the one that takes the tick's lock in
    /// the component's <c>lockStore</c> (the only lock store configured, else <c>lockstore</c>).
    /// </summary>
    public static IServiceCollection AddBusRuntimeCronBinding(this IServiceCollection services)
    {
        services.AddSingleton<IStoreFactory<IOutputBinding>>(
            new StoreFactory<IOutputBinding>(ComponentTypes.BindingsCron, component =>
            {
                CronSchedule.For(component, TimeZoneInfo.Local);
                return new InputOnlyBinding();
            }));
        services.AddSingleton<IStoreFactory<IInputBinding>>(provider =>
            new StoreFactory<IInputBinding>(ComponentTypes.BindingsCron, component =>
            {
                var locks = provider.GetRequiredService<NamedStores<ILockStore>>();
                var lockStore = ComponentMetadata.GetString(component, BindingMetadata.LockStore)
                    ?? (locks.Names.Count == 1 ? locks.Names[0] : ComponentKind.Lock.Defaults[0].Name);
                if (!locks.Names.Contains(lockStore, StringComparer.Ordinal))
                {
                    throw new InvalidOperationException(
                        $"{ComponentMetadata.KeyOf(component, BindingMetadata.LockStore)} '{lockStore}' is not a configured lock store; configured: {string.Join(", ", locks.Names)}.");
                }

                return new CronInputBinding(
                    component.Name,
                    provider.GetRequiredService<IOptions<RuntimeOptions>>().Value.AppId,
                    CronSchedule.For(component, TimeZoneInfo.Local),
                    provider.GetRequiredService<LockManager>(),
                    lockStore,
                    provider.GetRequiredService<TimeProvider>(),
                    provider.GetRequiredService<ILoggerFactory>().CreateLogger<CronInputBinding>());
            }));
        return services;
    }

    private static ComponentOptions? Component(IServiceProvider provider, string? name) =>
        provider.GetRequiredService<IOptions<ComponentsOptions>>().Value.Components
            .FirstOrDefault(component => component.Name == name && component.Type == ComponentTypes.BindingsHttp);

    private static HttpBindingSettings Settings(IServiceProvider provider, ComponentOptions component) =>
        HttpBindingSettings.For(component, provider.GetRequiredService<IOptions<RuntimeOptions>>().Value.MaxPayloadBytes);
}
