using System.Text.Json.Serialization;
using BusRuntime.Core.Subscriptions;

namespace BusRuntime.Actuator;

/// <summary>The body of /actuator/info.</summary>
public sealed record RuntimeInfo(
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("transport")] string Transport,
    [property: JsonPropertyName("pubsubs")] IReadOnlyList<string> PubSubs,
    [property: JsonPropertyName("components")] IReadOnlyList<ComponentInfo> Components,
    [property: JsonPropertyName("subscriptions")] IReadOnlyList<SubscriptionInfo> Subscriptions);
