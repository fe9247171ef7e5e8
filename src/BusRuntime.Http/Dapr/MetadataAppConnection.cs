using System.Text.Json.Serialization;

namespace BusRuntime.Http.Dapr;

/// <summary>How the sidecar reaches its app in GET /v1.0/metadata, in Dapr's field names (appConnectionProperties).</summary>
public sealed record MetadataAppConnection(
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("protocol")] string Protocol,
    [property: JsonPropertyName("channelAddress")] string ChannelAddress)
{
    /// <summary>The app health checks' settings, when they are on.</summary>
    [JsonPropertyName("health"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MetadataAppHealth? Health { get; init; }
}
