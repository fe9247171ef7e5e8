using BusRuntime.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace BusRuntime.Hosting;

public static class TracingServiceCollectionExtensions
{
    /// <summary>
    /// Traces every hop an app's call takes — its gRPC call in, the bus send, the consume on the other
    /// sidecar and the callback to the subscriber — so the W3C trace context the app sent travels in the
    /// bus headers and reaches the subscriber.
    /// </summary>
    /// <remarks>
    /// With OTEL_EXPORTER_OTLP_ENDPOINT set, spans are exported and sampled as the OTEL_* variables say.
    /// Without an exporter only calls that arrive in a sampled trace are traced: recording every call
    /// for nobody costs a publish about a tenth of its CPU (docs/benchmarks.md).
    /// </remarks>
    public static IServiceCollection AddBusRuntimeTracing(this IServiceCollection services, IConfiguration configuration)
    {
        var exporting = !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var tracing = services.AddOpenTelemetry().WithTracing(tracing =>
        {
            // "Npgsql": the driver's own span per database command, under the call that caused it.
            tracing.AddSource(RuntimeActivities.SourceName, "Microsoft.AspNetCore", "System.Net.Http", "MassTransit", "Npgsql");
            // The gRPC client's span of a call to the app has no ActivitySource; the HTTP request under it, and the
            // app's own span, are its children, so a trace without it has a hole.
            tracing.AddLegacySource("Grpc.Net.Client.GrpcOut");
            if (!exporting)
            {
                tracing.SetSampler(new ParentBasedSampler(new AlwaysOffSampler()));
            }
        });
        if (exporting)
        {
            tracing.UseOtlpExporter();
        }

        return services;
    }
}
