namespace BusRuntime.Core.PubSub;

/// <summary>One event an app asks to publish.</summary>
public sealed record PublishRequest(
    string PubsubName,
    string Topic,
    ReadOnlyMemory<byte> Data,
    string DataContentType,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The CloudEvent type when the metadata sets none (<c>cloudevent.type</c>): the API's default.</summary>
    public string DefaultType { get; init; } = Contracts.TopicEvent.DefaultType;
}
