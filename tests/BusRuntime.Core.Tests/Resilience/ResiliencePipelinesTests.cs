using BusRuntime.Contracts;
using BusRuntime.Core.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Polly.Registry;

namespace BusRuntime.Core.Tests.Resilience;

/// <summary>Polly's registry as the core registers it: pipelines by name, one per target, and nothing unnamed.</summary>
public sealed class ResiliencePipelinesTests
{
    [Fact]
    public void AddBusRuntimeResiliencePipeline_NameNotInResiliencePipelines_Throws()
    {
        var services = new ServiceCollection();

        var exception = Assert.Throws<ArgumentException>(() => services.AddBusRuntimeResiliencePipeline("busruntime-made-up", (_, _) => { }));

        Assert.Contains("'busruntime-made-up' is not a pipeline of ResiliencePipelines", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetPipeline_NameNobodyRegistered_Throws()
    {
        using var services = CoreServices();
        var pipelines = services.GetRequiredService<ResiliencePipelineProvider<ResiliencePipelineKey>>();

        Assert.Throws<KeyNotFoundException>(() => pipelines.GetPipeline(new ResiliencePipelineKey("busruntime-made-up")));
        // Named, but registered by the workflows, which this container does not have.
        Assert.Throws<KeyNotFoundException>(() => pipelines.GetPipeline(new ResiliencePipelineKey(ResiliencePipelines.WorkflowStep)));
    }

    [Fact]
    public void GetPipeline_TheCoresPipelines_AreRegistered()
    {
        using var services = CoreServices();
        var pipelines = services.GetRequiredService<ResiliencePipelineProvider<ResiliencePipelineKey>>();

        Assert.NotNull(pipelines.GetPipeline<InvokeResponse>(new ResiliencePipelineKey(ResiliencePipelines.Invoke, "billing")));
        Assert.NotNull(pipelines.GetPipeline(new ResiliencePipelineKey(ResiliencePipelines.ConfigurationReread, "configstore")));
    }

    [Fact]
    public void GetPipeline_OneNameTwoTargets_EachTargetKeepsAPipelineOfItsOwn()
    {
        using var services = CoreServices();
        var pipelines = services.GetRequiredService<ResiliencePipelineProvider<ResiliencePipelineKey>>();

        var billing = pipelines.GetPipeline<InvokeResponse>(new ResiliencePipelineKey(ResiliencePipelines.Invoke, "billing"));
        var orders = pipelines.GetPipeline<InvokeResponse>(new ResiliencePipelineKey(ResiliencePipelines.Invoke, "orders"));

        Assert.NotSame(billing, orders);
        Assert.Same(billing, pipelines.GetPipeline<InvokeResponse>(new ResiliencePipelineKey(ResiliencePipelines.Invoke, "billing")));
    }

    [Fact]
    public void All_EveryName_IsDistinctAndPrefixed()
    {
        Assert.Equal(ResiliencePipelines.All.Count, ResiliencePipelines.All.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ResiliencePipelines.All, name => Assert.StartsWith("busruntime-", name, StringComparison.Ordinal));
    }

    private static ServiceProvider CoreServices() => new ServiceCollection()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["BusRuntime:AppId"] = "orders" }).Build())
        .AddLogging()
        .AddBusRuntimeCore()
        .BuildServiceProvider(validateScopes: true);
}
