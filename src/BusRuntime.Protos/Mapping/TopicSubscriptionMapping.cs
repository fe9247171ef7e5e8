using BusRuntime.Core.Subscriptions;
using BusRuntime.Protos.Dapr.Runtime.V1;
using CoreTopicRoutes = BusRuntime.Core.Subscriptions.TopicRoutes;

namespace BusRuntime.Protos.Mapping;

/// <summary>Maps a subscription an app lists in Dapr's ListTopicSubscriptions to what it asks of the runtime, read as daprd reads it.</summary>
public static class TopicSubscriptionMapping
{
    /// <summary>The spec of <paramref name="subscription"/>; INVALID_ARGUMENT for a bad routing rule or bulk setting.</summary>
    public static SubscriptionSpec ToSpec(TopicSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return new SubscriptionSpec(subscription.PubsubName, subscription.Topic)
        {
            Routes = ToRoutes(subscription.Routes),
            DeadLetterTopic = string.IsNullOrEmpty(subscription.DeadLetterTopic) ? null : subscription.DeadLetterTopic,
            Bulk = subscription.BulkSubscribe is { } bulk
                ? new BulkSubscribeSettings(
                    bulk.Enabled,
                    bulk.MaxMessagesCount == 0 ? BulkSubscribeSettings.DefaultMaxMessagesCount : bulk.MaxMessagesCount,
                    bulk.MaxAwaitDurationMs == 0 ? BulkSubscribeSettings.DefaultMaxAwaitDurationMs : bulk.MaxAwaitDurationMs)
                : null,
            Metadata = new Dictionary<string, string>(subscription.Metadata, StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// As daprd: no routes, or routes with neither rules nor a default, send every event to the path ""; otherwise the
    /// rules in order, then the default when it is not empty, and an event none of them takes is not delivered.
    /// </summary>
    private static CoreTopicRoutes ToRoutes(Dapr.Runtime.V1.TopicRoutes? routes)
    {
        if (routes is null || (routes.Rules.Count == 0 && routes.Default.Length == 0))
        {
            return CoreTopicRoutes.Default("");
        }

        return CoreTopicRoutes.Create(
            [.. routes.Rules.Select(rule => new TopicRoutingRule(rule.Match, rule.Path))],
            routes.Default.Length == 0 ? null : routes.Default);
    }
}
