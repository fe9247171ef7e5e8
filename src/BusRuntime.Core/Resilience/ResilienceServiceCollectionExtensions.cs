using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.DependencyInjection;
using Polly.Registry;

namespace BusRuntime.Core.Resilience;

public static class ResilienceServiceCollectionExtensions
{
    /// <summary>
    /// Registers pipeline <paramref name="name"/> (one of <see cref="ResiliencePipelines"/>) with Polly's registry.
    /// <paramref name="configure"/> runs on first use of each target (<c>context.PipelineKey.Target</c>), with
    /// the container's <see cref="TimeProvider"/> on the builder.
    /// </summary>
    public static IServiceCollection AddBusRuntimeResiliencePipeline(
        this IServiceCollection services, string name, Action<ResiliencePipelineBuilder, AddResiliencePipelineContext<ResiliencePipelineKey>> configure)
    {
        AddRegistry(services, name);
        return services.AddResiliencePipeline(new ResiliencePipelineKey(name), configure);
    }

    /// <summary>Registers pipeline <paramref name="name"/> for calls that return <typeparamref name="TResult"/>, whose results it may handle.</summary>
    public static IServiceCollection AddBusRuntimeResiliencePipeline<TResult>(
        this IServiceCollection services, string name, Action<ResiliencePipelineBuilder<TResult>, AddResiliencePipelineContext<ResiliencePipelineKey>> configure)
    {
        AddRegistry(services, name);
        return services.AddResiliencePipeline(new ResiliencePipelineKey(name), configure);
    }

    private static void AddRegistry(IServiceCollection services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!ResiliencePipelines.All.Contains(name, StringComparer.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a pipeline of ResiliencePipelines; name it there first.", nameof(name));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddResiliencePipelineRegistry<ResiliencePipelineKey>();
        // After Polly's own configuration of the registry, which AddResiliencePipelineRegistry adds once, first.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<ResiliencePipelineRegistryOptions<ResiliencePipelineKey>>, ResiliencePipelineRegistrySetup>());
    }
}
