namespace BusRuntime.Core.State;

/// <summary>
/// What an upsert does to the entry's TTL: keep the one it has (no ttlInSeconds given), remove it
/// (ttlInSeconds = -1), or set a new one (ttlInSeconds &gt; 0, counted on the store's clock).
/// </summary>
public readonly record struct StateExpiry(StateExpiryKind Kind, int Seconds)
{
    public static StateExpiry Keep { get; } = new(StateExpiryKind.Keep, 0);

    public static StateExpiry Never { get; } = new(StateExpiryKind.Never, 0);

    public static StateExpiry After(int seconds) => new(StateExpiryKind.After, seconds);
}
