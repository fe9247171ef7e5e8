using System.Globalization;
using BusRuntime.Core.AppConfiguration;
using Google.Protobuf.Collections;
using DaprItem = BusRuntime.Protos.Dapr.Common.V1.ConfigurationItem;

namespace BusRuntime.Grpc.AppConfiguration;

/// <summary>
/// Maps Dapr's configuration API, which names only a store and keys, onto the configuration primitive: the
/// items are the calling app's own (its app id), in the group and label that the request's metadata names
/// ("group", "label"; both "default" when absent).
/// </summary>
public static class DaprConfigurationMapping
{
    /// <summary>The metadata key that chooses the items' group.</summary>
    public const string GroupKey = "group";

    /// <summary>The metadata key that chooses the items' label.</summary>
    public const string LabelKey = "label";

    /// <summary>The item metadata key set to "true" on an item a subscription sees deleted (its value is then empty).</summary>
    public const string DeletedKey = "deleted";

    public static string GroupOf(IReadOnlyDictionary<string, string> metadata) => ValueOf(metadata, GroupKey);

    public static string LabelOf(IReadOnlyDictionary<string, string> metadata) => ValueOf(metadata, LabelKey);

    public static DaprItem ToItem(StoredConfigurationItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var wire = new DaprItem { Value = item.Content ?? "", Version = item.Version.ToString(CultureInfo.InvariantCulture) };
        wire.Metadata.AddAll(item.Metadata);
        if (item.IsDeleted)
        {
            wire.Metadata[DeletedKey] = "true";
        }

        return wire;
    }

    public static void AddItems(MapField<string, DaprItem> target, IEnumerable<StoredConfigurationItem> items)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            target[item.Key] = ToItem(item);
        }
    }

    private static string ValueOf(IReadOnlyDictionary<string, string> metadata, string key)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.TryGetValue(key, out var value) ? value : "";
    }
}
