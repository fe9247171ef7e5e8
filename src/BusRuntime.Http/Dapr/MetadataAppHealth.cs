using System.Text.Json.Serialization;

namespace BusRuntime.Http.Dapr;

/// <summary>The app health checks' settings in GET /v1.0/metadata, in Dapr's field names (appConnectionProperties.health).</summary>
public sealed record MetadataAppHealth(
    [property: JsonPropertyName("healthCheckPath")] string HealthCheckPath,
    [property: JsonPropertyName("healthProbeInterval")] string HealthProbeInterval,
    [property: JsonPropertyName("healthProbeTimeout")] string HealthProbeTimeout,
    [property: JsonPropertyName("healthThreshold")] int HealthThreshold)
{
    public static MetadataAppHealth? Of(Core.Configuration.AppHealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Enabled
            ? new MetadataAppHealth(
                options.CheckPath,
                Core.Configuration.AppHealthOptions.GoDuration(options.ProbeInterval),
                Core.Configuration.AppHealthOptions.GoDuration(options.ProbeTimeout),
                options.Threshold)
            : null;
    }
}
