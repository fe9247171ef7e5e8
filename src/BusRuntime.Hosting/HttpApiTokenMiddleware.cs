using BusRuntime.Core.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Hosting;

/// <summary>
/// Asks for the API token on every request to the HTTP port except the health and readiness routes (probes
/// carry no token, as with Dapr). It runs after routing and decides by the endpoint the request reached,
/// so a path spelled otherwise (case, a trailing slash) cannot pass as an open one. The gRPC port has its
/// own check, <c>ApiTokenInterceptor</c>.
/// </summary>
public static class HttpApiTokenMiddleware
{
    /// <summary>The route patterns served without the token.</summary>
    public static IReadOnlySet<string> OpenRoutes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "/v1.0/healthz", "/v1.0/healthz/outbound", "/actuator/health/liveness", "/actuator/health/readiness",
    };

    /// <summary>Adds the token check; call it after UseRouting.</summary>
    public static IApplicationBuilder UseBusRuntimeHttpApiToken(this IApplicationBuilder app, int httpPort)
    {
        ArgumentNullException.ThrowIfNull(app);
        var guard = app.ApplicationServices.GetRequiredService<ApiTokenGuard>();
        if (!guard.IsRequired)
        {
            return app;
        }

        return app.Use(async (context, next) =>
        {
            if (context.Connection.LocalPort != httpPort
                || IsOpen(context.GetEndpoint())
                || guard.Allows(context.Request.Headers[ApiTokenGuard.HeaderName].FirstOrDefault()))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new { errorCode = "ERR_UNAUTHORIZED", message = ApiTokenGuard.RejectionMessage }, context.RequestAborted).ConfigureAwait(false);
        });
    }

    private static bool IsOpen(Endpoint? endpoint) =>
        endpoint is RouteEndpoint route && route.RoutePattern.RawText is { } pattern && OpenRoutes.Contains(pattern);
}
