namespace BusRuntime.Contracts;

/// <summary>
/// The names of the bus entities that carry pub/sub, so that a .NET service addresses the same
/// exchanges and queues as the sidecars. Pub/sub names and app ids contain no dots, so names
/// built here never collide.
/// </summary>
public static class TopicNames
{
    /// <summary>
    /// The exchange every event of a topic is sent to; a subscriber's queue is bound to it.
    /// With MassTransit: <c>bus.GetSendEndpoint(new Uri($"exchange:{TopicNames.Exchange("pubsub", "orders")}"))</c>.
    /// </summary>
    public static string Exchange(string pubsubName, string topic) => $"busruntime.topic.{pubsubName}.{topic}";

    /// <summary>
    /// The durable queue of one app's subscription: every replica of the app consumes from it,
    /// so replicas compete and each app gets its own copy of every event.
    /// </summary>
    public static string Queue(string appId, string pubsubName, string topic) => $"busruntime.app.{appId}.{pubsubName}.{topic}";
}
