using System.Text.Json.Serialization;

namespace BusRuntime.Http.Dapr;

/// <summary>The body of GET /v1.0/metadata, in Dapr's field names; no appConnectionProperties when the app serves no callback.</summary>
public sealed record MetadataResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("runtimeVersion")] string RuntimeVersion,
    [property: JsonPropertyName("enabledFeatures")] IReadOnlyList<string> EnabledFeatures,
    [property: JsonPropertyName("components")] IReadOnlyList<MetadataComponent> Components,
    [property: JsonPropertyName("extended")] IReadOnlyDictionary<string, string> Extended,
    [property: JsonPropertyName("subscriptions")] IReadOnlyList<MetadataSubscription> Subscriptions,
    [property: JsonPropertyName("appConnectionProperties"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] MetadataAppConnection? AppConnectionProperties);
