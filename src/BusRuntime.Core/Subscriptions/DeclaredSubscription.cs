namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// A subscription declared in a resource file (Dapr's <c>kind: Subscription</c>, <c>dapr.io/v2alpha1</c> or
/// <c>v1alpha1</c>), already checked, its routing rules compiled: the app's channel subscribes to it as to one the
/// app listed itself.
/// </summary>
/// <param name="Name">The subscription's <c>metadata.name</c>.</param>
/// <param name="Spec">
/// What it asks for: <c>spec.pubsubname</c>, <c>spec.topic</c>, the routes (<c>spec.routes.rules</c> and
/// <c>default</c>, or v1alpha1's <c>spec.route</c>), <c>spec.deadLetterTopic</c>, <c>spec.bulkSubscribe</c> and <c>spec.metadata</c>.
/// </param>
/// <param name="File">The file that declared it, for messages.</param>
public sealed record DeclaredSubscription(string Name, SubscriptionSpec Spec, string File)
{
    /// <summary>Whether <paramref name="other"/> asks for the same subscription (a file read again yields new objects).</summary>
    public bool SameAs(DeclaredSubscription other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Signature() == other.Signature();
    }

    private string Signature() => string.Join(
        "\u0001",
        Name,
        Spec.PubsubName,
        Spec.Topic,
        Spec.Routes.DefaultPath,
        string.Join("\u0002", Spec.Routes.Rules.Select(rule => rule.Match + "\u0003" + rule.Path)),
        Spec.DeadLetterTopic,
        Spec.Bulk?.ToString(),
        string.Join("\u0002", Spec.Metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Key + "\u0003" + pair.Value)));
}
