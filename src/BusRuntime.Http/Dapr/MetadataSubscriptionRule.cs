using System.Text.Json.Serialization;

namespace BusRuntime.Http.Dapr;

/// <summary>
/// One routing rule of a subscription in GET /v1.0/metadata, as Dapr lists it: the default route is a rule without a match,
/// and an empty match or path is left out.
/// </summary>
public sealed record MetadataSubscriptionRule(
    [property: JsonPropertyName("match"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Match,
    [property: JsonPropertyName("path"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Path);
