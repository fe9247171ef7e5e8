namespace BusRuntime.Core.PubSub;

/// <summary>One event an app asks to publish.</summary>
public sealed record PublishRequest(
    string PubsubName,
    string Topic,
    ReadOnlyMemory<byte> Data,
    string DataContentType,
    IReadOnlyDictionary<string, string> Metadata);
