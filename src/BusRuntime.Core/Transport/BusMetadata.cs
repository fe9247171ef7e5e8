using BusRuntime.Core.Errors;

namespace BusRuntime.Core.Transport;

/// <summary>
/// Checks a map of names that travels in a message on the bus (an event's metadata, a configuration item's tags):
/// the bus serializes it as JSON, whose reader on the consuming side refuses an empty property name, so such a
/// message would be accepted here and fault there, reaching no subscriber.
/// </summary>
public static class BusMetadata
{
    public static void EnsureNamed(IEnumerable<KeyValuePair<string, string>> entries, string field)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Any(entry => entry.Key.Length == 0))
        {
            throw RuntimeException.InvalidArgument($"{field} has an empty key; every key must name something.");
        }
    }
}
