namespace BusRuntime.Core.State;

/// <summary>
/// What a read returns for one key: its value and etag, both empty when the key does not exist, and
/// "ttlExpireTime" in <see cref="Metadata"/> when the entry has a TTL.
/// </summary>
public sealed record StateValue(string Key, ReadOnlyMemory<byte> Data, string ETag, IReadOnlyDictionary<string, string> Metadata);
