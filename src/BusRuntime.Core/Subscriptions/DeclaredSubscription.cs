namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// A subscription declared in a resource file (Dapr's <c>kind: Subscription</c>, <c>dapr.io/v2alpha1</c> or
/// <c>v1alpha1</c>), already checked: the app's channel subscribes to it as to one the app listed itself.
/// </summary>
/// <param name="Name">The subscription's <c>metadata.name</c>.</param>
/// <param name="PubSubName">The pub/sub component (<c>spec.pubsubname</c>).</param>
/// <param name="Topic">The topic (<c>spec.topic</c>).</param>
/// <param name="DefaultRoute">Where events no rule matches go (<c>spec.routes.default</c>, or v1alpha1's <c>spec.route</c>); null when none.</param>
/// <param name="Rules">The routing rules in file order (<c>spec.routes.rules</c>): the first whose <c>match</c> holds routes the event.</param>
/// <param name="DeadLetterTopic">Where dropped events go (<c>spec.deadLetterTopic</c>); null when none.</param>
/// <param name="BulkSubscribe">Bulk delivery (<c>spec.bulkSubscribe</c>); null when not enabled.</param>
/// <param name="Metadata">The subscription's metadata (<c>spec.metadata</c>, e.g. rawPayload).</param>
/// <param name="File">The file that declared it, for messages.</param>
public sealed record DeclaredSubscription(
    string Name,
    string PubSubName,
    string Topic,
    string? DefaultRoute,
    IReadOnlyList<DeclaredRoutingRule> Rules,
    string? DeadLetterTopic,
    DeclaredBulkSubscribe? BulkSubscribe,
    IReadOnlyDictionary<string, string> Metadata,
    string File);
