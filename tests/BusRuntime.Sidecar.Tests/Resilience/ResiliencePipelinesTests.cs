using BusRuntime.Contracts;
using BusRuntime.Core.Resilience;
using BusRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Polly.Registry;

namespace BusRuntime.Sidecar.Tests.Resilience;

/// <summary>The sidecar's registry of resilience pipelines: every name <see cref="ResiliencePipelines"/> lists, and nothing else.</summary>
public sealed class ResiliencePipelinesTests
{
    [Fact]
    public async Task GetPipeline_EveryNamedPipeline_IsRegisteredByTheSidecar()
    {
        await using var sidecar = await TestSidecar.StartAsync("resilient");
        var pipelines = sidecar.Services.GetRequiredService<ResiliencePipelineProvider<ResiliencePipelineKey>>();

        var missing = ResiliencePipelines.All.Where(name => !(name == ResiliencePipelines.Invoke
            ? pipelines.TryGetPipeline<InvokeResponse>(new ResiliencePipelineKey(name, "resilient"), out _)
            : pipelines.TryGetPipeline(new ResiliencePipelineKey(name, "target"), out _)));

        Assert.Empty(missing);
    }

    [Fact]
    public async Task GetPipeline_UnknownName_Throws()
    {
        await using var sidecar = await TestSidecar.StartAsync("resilient");
        var pipelines = sidecar.Services.GetRequiredService<ResiliencePipelineProvider<ResiliencePipelineKey>>();

        Assert.Throws<KeyNotFoundException>(() => pipelines.GetPipeline(new ResiliencePipelineKey("busruntime-made-up")));
    }
}
