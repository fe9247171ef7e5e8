using BusRuntime.Contracts;

namespace BusRuntime.Samples.BusService;

/// <summary>
/// Where this service meets the sidecars: topic "orders" of pub/sub "pubsub", subscribed under the
/// service's app id (BusRuntime:AppId, "order-audit") as if a sidecar served it, so the names come from
/// <see cref="TopicNames"/>.
/// </summary>
public static class OrderTopic
{
    public const string PubsubName = "pubsub";
    public const string Topic = "orders";

    /// <summary>The exchange every sidecar sends "orders" events to.</summary>
    public static string Exchange { get; } = TopicNames.Exchange(PubsubName, Topic);

    /// <summary>This service's own durable queue: it gets a copy of every event, whoever published it.</summary>
    public static string Queue(string appId) => TopicNames.Queue(appId, PubsubName, Topic);

    public static Uri ExchangeAddress { get; } = new($"exchange:{Exchange}");
}
