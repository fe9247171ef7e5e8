using BusRuntime.Bindings.Http;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Resilience;
using BusRuntime.Core.Stores;
using Microsoft.Extensions.DependencyInjection;
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

    private static ComponentOptions? Component(IServiceProvider provider, string? name) =>
        provider.GetRequiredService<IOptions<ComponentsOptions>>().Value.Components
            .FirstOrDefault(component => component.Name == name && component.Type == ComponentTypes.BindingsHttp);

    private static HttpBindingSettings Settings(IServiceProvider provider, ComponentOptions component) =>
        HttpBindingSettings.For(component, provider.GetRequiredService<IOptions<RuntimeOptions>>().Value.MaxPayloadBytes);
}
