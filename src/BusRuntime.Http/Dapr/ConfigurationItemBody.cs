using System.Text.Json.Serialization;

namespace BusRuntime.Http.Dapr;

/// <summary>A configuration item as Dapr's HTTP API sends it: empty fields left out, as Go's omitempty does.</summary>
public sealed record ConfigurationItemBody(
    [property: JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Value,
    [property: JsonPropertyName("version"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Version,
    [property: JsonPropertyName("metadata"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Metadata);
