namespace BusRuntime.Core.State;

/// <summary>A live entry as a store holds it: the value, its version (the etag) and when it expires, if ever.</summary>
public sealed record StoredState(ReadOnlyMemory<byte> Value, long ETag, DateTimeOffset? ExpiresAt);
