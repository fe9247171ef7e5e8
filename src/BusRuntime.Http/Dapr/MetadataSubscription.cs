using System.Text.Json.Serialization;

namespace BusRuntime.Http.Dapr;

/// <summary>
/// One subscription in GET /v1.0/metadata, in Dapr's field names (without Dapr's "type": the sidecar does not tell streaming from
/// programmatic subscriptions); as Dapr, no "rules" when there are none.
/// </summary>
public sealed record MetadataSubscription(
    [property: JsonPropertyName("pubsubname")] string PubsubName,
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("deadLetterTopic")] string DeadLetterTopic,
    [property: JsonPropertyName("rules"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<MetadataSubscriptionRule>? Rules);
