using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace BusRuntime.Http.Dapr;

/// <summary>
/// Dapr's health routes: 204 when the sidecar is ready (bus and stores up), 500 with
/// ERR_HEALTH_NOT_READY naming what is not. BusRuntime reaches its app only through the bus, so the
/// outbound check (what SDKs' WaitForSidecar polls) and the full check ask the same readiness.
/// </summary>
public static class HealthRoutes
{
    public static IEndpointRouteBuilder MapDaprHealth(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/v1.0/healthz", async (HttpRequest request, Readiness readiness, IOptions<RuntimeOptions> options, CancellationToken cancellationToken) =>
        {
            var notUp = await NotUpAsync(readiness, cancellationToken).ConfigureAwait(false);
            if (notUp is not null)
            {
                return DaprResults.Error(StatusCodes.Status500InternalServerError, DaprErrorCodes.HealthNotReady, $"dapr is not ready: [{notUp}]");
            }

            // Name resolvers ask with ?appid= to learn whether this port still belongs to the app they expect.
            if (request.Query.TryGetValue("appid", out var appId) && appId.ToString() != options.Value.AppId)
            {
                return DaprResults.Error(StatusCodes.Status500InternalServerError, DaprErrorCodes.HealthAppIdNotMatch, "dapr app-id does not match");
            }

            return Results.NoContent();
        });
        endpoints.MapGet("/v1.0/healthz/outbound", async (Readiness readiness, CancellationToken cancellationToken) =>
        {
            var notUp = await NotUpAsync(readiness, cancellationToken).ConfigureAwait(false);
            return notUp is null
                ? Results.NoContent()
                : DaprResults.Error(StatusCodes.Status500InternalServerError, DaprErrorCodes.OutboundHealthNotReady, $"dapr outbound is not ready: [{notUp}]");
        });
        return endpoints;
    }

    /// <summary>The components that are not up, as "name (STATUS)"; null when all are.</summary>
    private static async Task<string?> NotUpAsync(Readiness readiness, CancellationToken cancellationToken)
    {
        var report = await readiness.CheckAsync(cancellationToken).ConfigureAwait(false);
        if (report.Status == HealthStatus.Up)
        {
            return null;
        }

        return string.Join(", ", report.Components.Where(component => component.Value.Status != HealthStatus.Up).Select(component => $"{component.Key} ({component.Value.Status})"));
    }
}
