using BusRuntime.Core.Subscriptions;

namespace BusRuntime.AppCallback.Http;

/// <summary>
/// One entry of the app's <c>GET /dapr/subscribe</c> answer, checked: the topic, its routing rules in order and its
/// default route (v2's <c>routes.default</c>, else v1's <c>route</c>), the dead-letter topic, bulk subscribe and metadata.
/// </summary>
public sealed record HttpAppSubscription(string PubsubName, string Topic)
{
    /// <summary>The routing rules, in order: (CEL match expression, path).</summary>
    public IReadOnlyList<(string Match, string Path)> Rules { get; init; } = [];

    /// <summary>The route of an event no rule matches; null when the app named none (such events are dropped, as daprd does).</summary>
    public string? DefaultRoute { get; init; }

    public string? DeadLetterTopic { get; init; }

    /// <summary>Dapr's <c>bulkSubscribe.enabled</c>, with its batch size and wait (0: Dapr's defaults).</summary>
    public bool BulkEnabled { get; init; }

    public int BulkMaxMessagesCount { get; init; }

    public int BulkMaxAwaitDurationMs { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The subscription as the runtime takes it; throws INVALID_ARGUMENT naming a rule whose match or path is bad.</summary>
    public SubscriptionSpec ToSpec() => new(PubsubName, Topic)
    {
        Routes = TopicRoutes.Create([.. Rules.Select(rule => new TopicRoutingRule(rule.Match, rule.Path))], DefaultRoute),
        DeadLetterTopic = DeadLetterTopic,
        Bulk = BulkEnabled
            ? new BulkSubscribeSettings(
                true,
                BulkMaxMessagesCount > 0 ? BulkMaxMessagesCount : BulkSubscribeSettings.DefaultMaxMessagesCount,
                BulkMaxAwaitDurationMs > 0 ? BulkMaxAwaitDurationMs : BulkSubscribeSettings.DefaultMaxAwaitDurationMs)
            : null,
        Metadata = Metadata,
    };
}
