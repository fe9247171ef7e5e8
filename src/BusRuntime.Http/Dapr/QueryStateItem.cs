using System.Text.Json;
using System.Text.Json.Serialization;

namespace BusRuntime.Http.Dapr;

/// <summary>One result of POST /v1.0-alpha1/state/{store}/query: the app's key, the value as JSON and its etag.</summary>
public sealed record QueryStateItem(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("data")] JsonElement Data,
    [property: JsonPropertyName("etag")] string ETag);
