using BusRuntime.Core.Errors;

namespace BusRuntime.Core.Transport;

/// <summary>
/// Checks a map of names that travels in a message on the bus (an event's metadata, a configuration item's tags).
/// The bus serializes it as JSON, and its reader on the consuming side refuses a property name that is empty or
/// white space and reads names into a case-insensitive dictionary, so it faults on two names that differ only in
/// case. Such a message would be accepted here and fault there, reaching no subscriber.
/// </summary>
public static class BusMetadata
{
    public static void EnsureNamed(IEnumerable<KeyValuePair<string, string>> entries, string field)
    {
        ArgumentNullException.ThrowIfNull(entries);
        // Allocated at the first key: most publishes carry no metadata, and this runs on every one.
        Dictionary<string, string>? seen = null;
        foreach (var key in entries.Select(entry => entry.Key))
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                throw RuntimeException.InvalidArgument(
                    key.Length == 0
                        ? $"{field} has an empty key; every key must name something."
                        : $"{field} has the key {Quoted.Of(key)}, only white space; every key must name something.");
            }

            seen ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (!seen.TryAdd(key, key))
            {
                throw RuntimeException.InvalidArgument(
                    $"{field} has the keys {Quoted.Of(seen[key])} and {Quoted.Of(key)}, which differ only in case; keys on the bus are compared ignoring case, so keep one.");
            }
        }
    }
}
