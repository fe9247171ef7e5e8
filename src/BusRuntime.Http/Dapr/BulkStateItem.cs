using System.Text.Json;
using System.Text.Json.Serialization;

namespace BusRuntime.Http.Dapr;

/// <summary>One key in the answer of POST /v1.0/state/{store}/bulk; a missing key has neither data nor etag.</summary>
public sealed record BulkStateItem(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("data"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Data,
    [property: JsonPropertyName("etag"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ETag,
    [property: JsonPropertyName("metadata"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Metadata);
