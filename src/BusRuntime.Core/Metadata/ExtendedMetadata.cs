using System.Collections.Concurrent;
using BusRuntime.Core.Errors;

namespace BusRuntime.Core.Metadata;

/// <summary>
/// The attributes an app attaches to its sidecar (Dapr's SetMetadata and PUT /v1.0/metadata/{key}) and
/// reads back in the sidecar's metadata. They live as long as the sidecar process, as in Dapr.
/// </summary>
public sealed class ExtendedMetadata
{
    private readonly ConcurrentDictionary<string, string> attributes = new(StringComparer.Ordinal);

    /// <summary>Sets <paramref name="key"/>; an empty key is INVALID_ARGUMENT.</summary>
    public void Set(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (string.IsNullOrEmpty(key))
        {
            throw RuntimeException.InvalidArgument("key is empty; name the metadata attribute to set.");
        }

        attributes[key] = value;
    }

    /// <summary>Every attribute, sorted by key.</summary>
    public IReadOnlyDictionary<string, string> List() =>
        new SortedDictionary<string, string>(attributes, StringComparer.Ordinal);
}
