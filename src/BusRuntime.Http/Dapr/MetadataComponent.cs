using System.Text.Json.Serialization;

namespace BusRuntime.Http.Dapr;

/// <summary>One component in GET /v1.0/metadata (Dapr's RegisteredComponents).</summary>
public sealed record MetadataComponent(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("capabilities")] IReadOnlyList<string> Capabilities);
