namespace BusRuntime.Core.State;

/// <summary>
/// One upsert or delete an app asks for. <see cref="ETag"/> null means "no etag" (no version check);
/// "" means "only if the key does not exist"; any other value must be the entry's current etag.
/// </summary>
public sealed record StateChange(
    bool IsDelete,
    string Key,
    ReadOnlyMemory<byte> Value,
    string? ETag,
    StateConcurrency Concurrency,
    IReadOnlyDictionary<string, string> Metadata)
{
    public static StateChange Upsert(string key, ReadOnlyMemory<byte> value, string? etag = null, StateConcurrency concurrency = StateConcurrency.LastWrite, IReadOnlyDictionary<string, string>? metadata = null) =>
        new(false, key, value, etag, concurrency, metadata ?? EmptyMetadata);

    public static StateChange Delete(string key, string? etag = null, StateConcurrency concurrency = StateConcurrency.LastWrite) =>
        new(true, key, ReadOnlyMemory<byte>.Empty, etag, concurrency, EmptyMetadata);

    private static readonly IReadOnlyDictionary<string, string> EmptyMetadata = new Dictionary<string, string>();
}
