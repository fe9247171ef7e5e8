using System.Globalization;
using BusRuntime.Core.Errors;

namespace BusRuntime.Core.State;

/// <summary>The metadata keys state calls understand, as Dapr names them.</summary>
public static class StateMetadata
{
    /// <summary>On a write: N &gt; 0 expires the entry N seconds later; -1 removes its TTL.</summary>
    public const string TtlInSeconds = "ttlInSeconds";

    /// <summary>On a read: when the entry expires (RFC 3339, UTC).</summary>
    public const string TtlExpireTime = "ttlExpireTime";

    /// <summary>What <paramref name="metadata"/> asks of the entry's TTL; INVALID_ARGUMENT names <paramref name="field"/>.</summary>
    public static StateExpiry ExpiryOf(IReadOnlyDictionary<string, string> metadata, string field)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(TtlInSeconds, out var value))
        {
            return StateExpiry.Keep;
        }

        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds) || seconds == 0 || seconds < -1)
        {
            throw RuntimeException.InvalidArgument(
                $"{field}.{TtlInSeconds} {Quoted.Of(value)} is not a TTL: give a whole number of seconds greater than 0, or -1 to remove the entry's TTL.");
        }

        return seconds == -1 ? StateExpiry.Never : StateExpiry.After(seconds);
    }

    public static IReadOnlyDictionary<string, string> Describe(StoredState entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.ExpiresAt is { } expiresAt
            ? new Dictionary<string, string> { [TtlExpireTime] = expiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) }
            : new Dictionary<string, string>();
    }
}
