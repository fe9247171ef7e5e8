namespace BusRuntime.Core.Subscriptions;

/// <summary>What an app asks for one topic: where its events go (<see cref="Routes"/>), where the ones it drops or keeps failing go
/// (<see cref="DeadLetterTopic"/>, on the same pub/sub), whether they come in batches (<see cref="Bulk"/>), and the subscription's metadata.</summary>
public sealed record SubscriptionSpec(string PubsubName, string Topic)
{
    /// <summary>The routes; by default every event goes to the path "" (a gRPC app's OnTopicEvent without routes).</summary>
    public TopicRoutes Routes { get; init; } = TopicRoutes.Default("");

    /// <summary>The topic that takes dropped events and those whose retries ran out; null keeps them in the subscription's error queue.</summary>
    public string? DeadLetterTopic { get; init; }

    /// <summary>Bulk delivery, or null for one event at a time.</summary>
    public BulkSubscribeSettings? Bulk { get; init; }

    /// <summary>The subscription's metadata, e.g. rawPayload.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Dapr's subscription metadata key that delivers the events' bytes as published rather than as CloudEvents.</summary>
    public const string RawPayloadKey = "rawPayload";

    /// <summary>Whether the metadata asks for the raw payload (<see cref="RawPayloadKey"/> true as Go's strconv.ParseBool reads it, as daprd reads it).</summary>
    public bool RawPayload => Metadata.TryGetValue(RawPayloadKey, out var value) && value is "1" or "t" or "T" or "TRUE" or "true" or "True";
}
