using OpenTelemetry;

namespace BusRuntime.Sidecar.Hosting;

public static class TracingServiceCollectionExtensions
{
    /// <summary>
    /// Traces every hop an app's call takes — its gRPC call in, the bus send, the consume on the other
    /// sidecar and the callback to the subscriber — so the W3C trace context the app sent travels in the
    /// bus headers and reaches the subscriber. Spans are exported over OTLP when
    /// OTEL_EXPORTER_OTLP_ENDPOINT is set.
    /// </summary>
    public static IServiceCollection AddBusRuntimeTracing(this IServiceCollection services, IConfiguration configuration)
    {
        var tracing = services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource("Microsoft.AspNetCore", "System.Net.Http", "MassTransit"));
        if (!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            tracing.UseOtlpExporter();
        }

        return services;
    }
}
