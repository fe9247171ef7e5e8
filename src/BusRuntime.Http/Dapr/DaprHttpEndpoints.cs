using Microsoft.AspNetCore.Routing;

namespace BusRuntime.Http.Dapr;

public static class DaprHttpEndpoints
{
    /// <summary>
    /// Maps Dapr's HTTP API as far as BusRuntime serves it: health, metadata, invoke, state, publish, secrets,
    /// configuration, locks, output bindings, jobs and shutdown.
    /// </summary>
    public static IEndpointRouteBuilder MapDaprHttpApi(this IEndpointRouteBuilder endpoints) => endpoints
        .MapDaprHealth()
        .MapDaprMetadata()
        .MapDaprInvoke()
        .MapDaprState()
        .MapDaprPublish()
        .MapDaprSecrets()
        .MapDaprConfiguration()
        .MapDaprLocks()
        .MapDaprBindings()
        .MapDaprJobs()
        .MapDaprShutdown();
}
