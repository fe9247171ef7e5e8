namespace BusRuntime.Core.Configuration;

/// <summary>The component types a configuration may declare.</summary>
public static class ComponentTypes
{
    /// <summary>Pub/sub on the sidecar's bus, whichever transport it uses.</summary>
    public const string PubSubBus = "pubsub.bus";

    public static IReadOnlyList<string> All { get; } = [PubSubBus];
}
