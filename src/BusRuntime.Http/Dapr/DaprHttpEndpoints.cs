using Microsoft.AspNetCore.Routing;

namespace BusRuntime.Http.Dapr;

public static class DaprHttpEndpoints
{
    /// <summary>Maps Dapr's HTTP API as far as BusRuntime serves it: health, metadata, invoke, state and publish.</summary>
    public static IEndpointRouteBuilder MapDaprHttpApi(this IEndpointRouteBuilder endpoints) => endpoints
        .MapDaprHealth()
        .MapDaprMetadata()
        .MapDaprInvoke()
        .MapDaprState()
        .MapDaprPublish();
}
