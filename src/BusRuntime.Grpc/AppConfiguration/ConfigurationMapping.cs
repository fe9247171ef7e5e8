using BusRuntime.Core.AppConfiguration;
using BusRuntime.Protos.V1;
using AppItem = BusRuntime.Core.AppConfiguration.ConfigurationItem;
using WireItem = BusRuntime.Protos.V1.ConfigurationItem;

namespace BusRuntime.Grpc.AppConfiguration;

/// <summary>Maps busruntime.v1 configuration messages to the configuration primitive's requests and its answers back.</summary>
public static class ConfigurationMapping
{
    public static AppItem ToItem(WireItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new AppItem(item.Key, item.Content, item.Group, item.Label, Copy(item.Tags), Copy(item.Metadata));
    }

    public static WireItem ToWire(StoredConfigurationItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var wire = new WireItem
        {
            Key = item.Key,
            Content = item.Content ?? "",
            Group = item.Group,
            Label = item.Label,
            Version = item.Version,
            Deleted = item.IsDeleted,
        };
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
