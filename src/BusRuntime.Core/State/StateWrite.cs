namespace BusRuntime.Core.State;

/// <summary>
/// One write a store applies: an upsert of <see cref="Value"/> or a delete of <see cref="Key"/> (a storage
/// key), if <see cref="Precondition"/> holds. <see cref="Expiry"/> applies to upserts.
/// </summary>
public sealed record StateWrite(string Key, bool IsDelete, ReadOnlyMemory<byte> Value, StatePrecondition Precondition, StateExpiry Expiry)
{
    public static StateWrite Upsert(string key, ReadOnlyMemory<byte> value, StatePrecondition precondition, StateExpiry expiry) =>
        new(key, false, value, precondition, expiry);

    public static StateWrite Delete(string key, StatePrecondition precondition) =>
        new(key, true, ReadOnlyMemory<byte>.Empty, precondition, StateExpiry.Keep);
}
