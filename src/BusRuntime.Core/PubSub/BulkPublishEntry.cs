namespace BusRuntime.Core.PubSub;

/// <summary>One entry of a bulk publish: its caller-chosen id and its event.</summary>
public sealed record BulkPublishEntry(string EntryId, ReadOnlyMemory<byte> Data, string DataContentType, IReadOnlyDictionary<string, string> Metadata);
