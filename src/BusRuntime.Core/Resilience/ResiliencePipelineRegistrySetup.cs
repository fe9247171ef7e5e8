using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace BusRuntime.Core.Resilience;

/// <summary>How the registry keys its pipelines: one registered builder per name, one pipeline per (name, target).</summary>
internal sealed class ResiliencePipelineRegistrySetup(TimeProvider timeProvider) : IConfigureOptions<ResiliencePipelineRegistryOptions<ResiliencePipelineKey>>
{
    public void Configure(ResiliencePipelineRegistryOptions<ResiliencePipelineKey> options)
    {
        options.BuilderComparer = NameComparer.Instance;
        options.BuilderNameFormatter = key => key.Name;
        options.InstanceNameFormatter = key => key.Target;
        // Polly's own DI builder adds its telemetry, which logs every execution at Information (every store
        // call, every invocation); the pipelines log their decisions themselves.
        options.BuilderFactory = () => new ResiliencePipelineBuilder { TimeProvider = timeProvider };
    }

    private sealed class NameComparer : IEqualityComparer<ResiliencePipelineKey>
    {
        public static readonly NameComparer Instance = new();

        public bool Equals(ResiliencePipelineKey x, ResiliencePipelineKey y) => string.Equals(x.Name, y.Name, StringComparison.Ordinal);

        public int GetHashCode(ResiliencePipelineKey obj) => StringComparer.Ordinal.GetHashCode(obj.Name);
    }
}
