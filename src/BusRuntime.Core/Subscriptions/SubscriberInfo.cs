namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// One subscriber of a subscription, as Dapr's metadata lists a subscription: its routing rules in order, then its default
/// route as a rule without a match, and its dead-letter topic, if it has one.
/// </summary>
public sealed record SubscriberInfo(IReadOnlyList<TopicRoutingRule> Rules, string? DeadLetterTopic)
{
    public static SubscriberInfo Of(SubscriptionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new SubscriberInfo(
            [.. spec.Routes.Rules, .. spec.Routes.DefaultPath is { } defaultPath ? [new TopicRoutingRule("", defaultPath)] : Array.Empty<TopicRoutingRule>()],
            spec.DeadLetterTopic);
    }
}
