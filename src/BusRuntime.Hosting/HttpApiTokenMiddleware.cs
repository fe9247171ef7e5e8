using BusRuntime.Core.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Hosting;

/// <summary>
/// Asks for the API token on every request to the HTTP port except the health checks and the metrics
/// (probes and scrapers carry no token, as with Dapr). The gRPC port has its own check.
/// </summary>
public static class HttpApiTokenMiddleware
{
    private static readonly string[] OpenPaths =
        ["/v1.0/healthz", "/v1.0/healthz/outbound", "/actuator/health/liveness", "/actuator/health/readiness", "/metrics"];

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
                || OpenPaths.Contains(context.Request.Path.Value, StringComparer.OrdinalIgnoreCase)
                || guard.Allows(context.Request.Headers[ApiTokenGuard.HeaderName].FirstOrDefault()))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new { errorCode = "ERR_UNAUTHORIZED", message = ApiTokenGuard.RejectionMessage }, context.RequestAborted).ConfigureAwait(false);
        });
    }
}
