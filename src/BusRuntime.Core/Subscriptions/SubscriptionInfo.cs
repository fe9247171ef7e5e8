namespace BusRuntime.Core.Subscriptions;

/// <summary>One active subscription of this sidecar, as operators see it.</summary>
public sealed record SubscriptionInfo(string PubsubName, string Topic, string Queue, int Handlers)
{
    /// <summary>
    /// The routing rules of its first subscriber, as Dapr's metadata lists them: the rules in order, then the default
    /// route as a rule without a match.
    /// </summary>
    public IReadOnlyList<TopicRoutingRule> Rules { get; init; } = [];

    /// <summary>The dead-letter topic of its first subscriber, if it has one.</summary>
    public string? DeadLetterTopic { get; init; }
}
