using BusRuntime.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace BusRuntime.Http.Dapr;

/// <summary>POST /v1.0/shutdown: 204, then the host stops gracefully, as the gRPC Shutdown does.</summary>
public static class ShutdownRoutes
{
    public static IEndpointRouteBuilder MapDaprShutdown(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/v1.0/shutdown", (HttpResponse response, IHostApplicationLifetime lifetime) =>
        {
            // Stop only once the answer is on its way, so that the caller sees 204 rather than a broken connection.
            response.OnCompleted(() =>
            {
                lifetime.StopApplication();
                return Task.CompletedTask;
            });
            return Results.NoContent();
        }).AddEndpointFilter(new DaprErrorFilter(ApiOperation.Metadata));
        return endpoints;
    }
}
