using BusRuntime.Core.Configuration;
using BusRuntime.Core.Health;
using BusRuntime.Core.Metadata;
using BusRuntime.Core.PubSub;
using BusRuntime.Core.Subscriptions;
using BusRuntime.Core.Telemetry;
using BusRuntime.Core.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace BusRuntime.Actuator;

public static class ActuatorEndpoints
{
    // OpenTelemetry allocates every metric stream's points up front, 2,000 by default: ~144 KB per instrument, on the
    // large-object heap, ~9 MiB for the ~60 instruments published here, ~7 MiB of it the libraries'. Their tags
    // (a GC generation, a message type, a receive endpoint per subscribed topic) stay far below this bound; a stream
    // that reaches it folds further combinations into one overflow point rather than dropping them.
    // The runtime's own meters, tagged by topic and target app, keep the default.
    private const int LibraryMetricCardinalityLimit = 500;

    public static IServiceCollection AddBusRuntimeActuator(this IServiceCollection services)
    {
        // The runtime's own meters and the bus's. ASP.NET Core's hosting and Kestrel meters are left out:
        // they cost every call a few histograms and say little the gRPC caller does not already see.
        // "System.Runtime" (.NET's GC, JIT, thread pool and CPU) is read only when scraped; its allocated-bytes
        // counter is how the benchmarks measure allocations per call (docs/benchmarks.md).
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter([.. RuntimeMeters.Names, "MassTransit", "System.Runtime"])
            .AddView(instrument => RuntimeMeters.Names.Contains(instrument.Meter.Name)
                ? null
                : new MetricStreamConfiguration { CardinalityLimit = LibraryMetricCardinalityLimit })
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>Maps /actuator/health/liveness, /actuator/health/readiness, /actuator/info, and /metrics (Prometheus); Dapr's health routes are BusRuntime.Http's.</summary>
    public static IEndpointRouteBuilder MapBusRuntimeActuator(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/actuator/health/liveness", () => Results.Json(new ReadinessReport(HealthStatus.Up, new Dictionary<string, ComponentHealth>())));
        endpoints.MapGet("/actuator/health/readiness", async (Readiness readiness, CancellationToken cancellationToken) =>
        {
            var report = await readiness.CheckAsync(cancellationToken).ConfigureAwait(false);
            return Results.Json(report, statusCode: report.Status == HealthStatus.Up ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        endpoints.MapGet("/actuator/info", (IOptions<RuntimeOptions> options, IOptions<ComponentsOptions> components, IBusTransport transport, PubSubComponents pubSubs, TopicSubscriptions subscriptions) =>
            Results.Json(new RuntimeInfo(
                options.Value.AppId,
                RuntimeVersion.Current,
                transport.Name,
                pubSubs.Names,
                [.. components.Value.Components.Select(component => new ComponentInfo(component.Name, component.Type))],
                subscriptions.List())));
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        return endpoints;
    }
}
