using BusRuntime.Core.Resilience;
using BusRuntime.Stores.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Polly.Registry;

namespace BusRuntime.Stores.Tests;

/// <summary>The resilience pipelines AddBusRuntimePostgresStores registers, for tests that make their own <c>PostgresDatabases</c>.</summary>
internal static class PostgresPipelines
{
    public static ResiliencePipelineProvider<ResiliencePipelineKey> Provider { get; } =
        new ServiceCollection().AddLogging().AddBusRuntimePostgresStores().BuildServiceProvider()
            .GetRequiredService<ResiliencePipelineProvider<ResiliencePipelineKey>>();
}
