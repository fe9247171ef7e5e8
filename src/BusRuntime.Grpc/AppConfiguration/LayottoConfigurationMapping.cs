using BusRuntime.Core.AppConfiguration;
using BusRuntime.Protos.Layotto.Runtime.V1;
using AppItem = BusRuntime.Core.AppConfiguration.ConfigurationItem;
using WireItem = BusRuntime.Protos.Layotto.Runtime.V1.ConfigurationItem;

namespace BusRuntime.Grpc.AppConfiguration;

/// <summary>
/// Maps Layotto's configuration messages to the configuration primitive's requests and its answers back. Layotto's
/// item has no version or deleted flag: an item with empty content is a delete, both ways.
/// </summary>
public static class LayottoConfigurationMapping
{
    public static AppItem ToItem(WireItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new AppItem(item.Key, item.Content, item.Group, item.Label, Copy(item.Tags), Copy(item.Metadata));
    }

    public static bool IsDelete(WireItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Content.Length == 0;
    }

    /// <summary>A deleted item (a tombstone) goes out with empty content, as Layotto's SaveConfiguration takes a delete.</summary>
    public static WireItem ToWire(StoredConfigurationItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var wire = new WireItem { Key = item.Key, Content = item.Content ?? "", Group = item.Group, Label = item.Label };
        wire.Tags.AddAll(item.Tags);
        wire.Metadata.AddAll(item.Metadata);
        return wire;
    }

    public static ConfigurationSubscription ToSubscription(SubscribeConfigurationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ConfigurationSubscription(request.StoreName, request.AppId, request.Group, request.Label, [.. request.Keys]);
    }

    private static Dictionary<string, string> Copy(IDictionary<string, string> values) => new(values, StringComparer.Ordinal);
}
