using System.Globalization;
using BusRuntime.Core.Errors;

namespace BusRuntime.Core.PubSub;

/// <summary>
/// A published event's time to live, as Dapr's: the publisher's metadata <c>ttlInSeconds</c> becomes the CloudEvent
/// extension <c>expiration</c> (RFC 3339, UTC), and a subscriber's sidecar drops an event whose expiration passed.
/// The broker is told too, so an expired event does not wait in a queue nobody reads.
/// </summary>
public static class EventExpiry
{
    /// <summary>The publish metadata key, as Dapr names it.</summary>
    public const string TtlInSecondsKey = "ttlInSeconds";

    /// <summary>The CloudEvent extension that carries the expiry to subscribers, as Dapr names it.</summary>
    public const string ExpirationKey = "expiration";

    /// <summary>A year: longer is a mistake rather than a TTL, and stays far from the broker's limits.</summary>
    public const int MaxTtlSeconds = 365 * 24 * 3600;

    /// <summary>The TTL <paramref name="metadata"/> asks for, or null; INVALID_ARGUMENT names <paramref name="field"/>.</summary>
    public static TimeSpan? TtlOf(IReadOnlyDictionary<string, string> metadata, string field)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var entry = metadata.FirstOrDefault(pair => pair.Key.Equals(TtlInSecondsKey, StringComparison.OrdinalIgnoreCase));
        if (entry.Key is null)
        {
            return null;
        }

        if (!int.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > MaxTtlSeconds)
        {
            throw RuntimeException.InvalidArgument(
                $"{field}.{TtlInSecondsKey} {Quoted.Of(entry.Value)} is not a TTL: give a whole number of seconds from 1 to {MaxTtlSeconds}.");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The <c>expiration</c> value of an event published at <paramref name="now"/> with <paramref name="ttl"/>.</summary>
    public static string Format(DateTimeOffset now, TimeSpan ttl) =>
        (now + ttl).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether an event with these extensions expired by <paramref name="now"/>. An expiration that does not parse
    /// does not expire the event, as in Dapr: a publisher on the bus may set the extension to anything.
    /// </summary>
    public static bool HasExpired(IReadOnlyDictionary<string, string> extensions, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(extensions);
        return extensions.TryGetValue(ExpirationKey, out var value)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiration)
            && expiration < now;
    }
}
