using BusRuntime.Core.Configuration;

namespace BusRuntime.Core.PubSub;

/// <summary>
/// Which topics of one pub/sub component one app may publish and subscribe to: Dapr's pub/sub topic scoping,
/// read from the component's metadata with Dapr's names and rules (dapr/dapr pkg/scopes, pkg/runtime/pubsub
/// IsOperationAllowed).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>publishingScopes</c>, <c>subscriptionScopes</c>: <c>app1=topic1,topic2;app2=topic3;app3=</c>. A listed app
/// may use its topics only (<c>app3=</c>: none); an app not listed may use every topic but the protected ones.</item>
/// <item><c>allowedTopics</c>: <c>topic1,topic2</c>. When set, no app may use another topic, whatever its scopes say.</item>
/// <item><c>protectedTopics</c>: <c>topic1,topic2</c>. Only apps that a scope grants a protected topic may use it.</item>
/// </list>
/// Names match case-sensitively and blanks are ignored, as in Dapr. Unlike Dapr, which skips what it cannot
/// read, a malformed entry stops start-up (<see cref="Problems"/>).
/// </remarks>
public sealed class TopicScopes
{
    public const string PublishingScopesKey = "publishingScopes";
    public const string SubscriptionScopesKey = "subscriptionScopes";
    public const string AllowedTopicsKey = "allowedTopics";
    public const string ProtectedTopicsKey = "protectedTopics";

    /// <summary>How many topics a refusal lists before it says how many more there are.</summary>
    private const int ListedTopics = 10;

    private readonly HashSet<string>? publishing;
    private readonly HashSet<string>? subscribing;
    private readonly HashSet<string> allowed;
    private readonly HashSet<string> protectedTopics;

    private TopicScopes(HashSet<string>? publishing, HashSet<string>? subscribing, HashSet<string> allowed, HashSet<string> protectedTopics)
    {
        this.publishing = publishing;
        this.subscribing = subscribing;
        this.allowed = allowed;
        this.protectedTopics = protectedTopics;
    }

    /// <summary>The metadata keys of a pub/sub component.</summary>
    public static IReadOnlyList<string> MetadataKeys { get; } = [PublishingScopesKey, SubscriptionScopesKey, AllowedTopicsKey, ProtectedTopicsKey];

    /// <summary>The scopes of <paramref name="appId"/> on a component whose metadata <see cref="Problems"/> found nothing wrong with.</summary>
    public static TopicScopes For(ComponentOptions component, string appId)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(appId);
        return new TopicScopes(
            ReadScopes(component, PublishingScopesKey, "", []).GetValueOrDefault(appId),
            ReadScopes(component, SubscriptionScopesKey, "", []).GetValueOrDefault(appId),
            ReadTopics(component, AllowedTopicsKey, "", []),
            ReadTopics(component, ProtectedTopicsKey, "", []));
    }

    /// <summary>What is wrong with a component's scope metadata, each problem naming its key under <paramref name="key"/> (e.g. BusRuntime:Components:0).</summary>
    public static IReadOnlyList<string> Problems(ComponentOptions component, string key)
    {
        ArgumentNullException.ThrowIfNull(component);
        var problems = new List<string>();
        ReadScopes(component, PublishingScopesKey, key, problems);
        ReadScopes(component, SubscriptionScopesKey, key, problems);
        ReadTopics(component, AllowedTopicsKey, key, problems);
        ReadTopics(component, ProtectedTopicsKey, key, problems);
        return problems;
    }

    /// <summary>Why the app may not publish to <paramref name="topic"/>, or null when it may.</summary>
    public string? PublishRefusal(string topic) => Refusal(topic, publishing, PublishingScopesKey);

    /// <summary>Why the app may not subscribe to <paramref name="topic"/>, or null when it may.</summary>
    public string? SubscribeRefusal(string topic) => Refusal(topic, subscribing, SubscriptionScopesKey);

    private string? Refusal(string topic, HashSet<string>? scoped, string scopesKey)
    {
        if (allowed.Count > 0 && !allowed.Contains(topic))
        {
            return $"it is not one of the component's {AllowedTopicsKey} ({List(allowed)}).";
        }

        if (scoped is null)
        {
            return protectedTopics.Contains(topic)
                ? $"it is one of the component's {ProtectedTopicsKey}, and {scopesKey} does not grant it to this app."
                : null;
        }

        if (scoped.Contains(topic))
        {
            return null;
        }

        return scoped.Count == 0
            ? $"the component's {scopesKey} grant this app no topic."
            : $"the component's {scopesKey} grant this app only {List(scoped)}.";
    }

    private static string List(HashSet<string> topics)
    {
        var ordered = topics.Order(StringComparer.Ordinal).ToList();
        var listed = string.Join(", ", ordered.Take(ListedTopics));
        return ordered.Count > ListedTopics ? $"{listed} and {ordered.Count - ListedTopics} more" : listed;
    }

    /// <summary>app=topic,topic;app=… into the topics of each app; an app listed twice gets the topics of both entries, as in Dapr.</summary>
    private static Dictionary<string, HashSet<string>> ReadScopes(ComponentOptions component, string metadataKey, string key, List<string> problems)
    {
        var scopes = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var value = ComponentMetadata.GetString(component, metadataKey);
        if (value is null)
        {
            return scopes;
        }

        var where = $"{key}:Metadata:{metadataKey}";
        foreach (var entry in RemoveBlanks(value).Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split('=');
            if (parts.Length != 2)
            {
                problems.Add($"{where}: entry '{Shorten(entry)}' is not app=topic1,topic2 (entries are separated by ';', an app with no topic is written app=).");
                continue;
            }

            var appId = parts[0];
            if (!Names.IsValidAppId(appId))
            {
                problems.Add($"{where}: '{Shorten(appId)}' in entry '{Shorten(entry)}' is not an app id; app ids match {Names.AppIdPattern}.");
                continue;
            }

            if (!scopes.TryGetValue(appId, out var topics))
            {
                scopes[appId] = topics = new HashSet<string>(StringComparer.Ordinal);
            }

            topics.UnionWith(SplitTopics(parts[1], where, problems));
        }

        return scopes;
    }

    private static HashSet<string> ReadTopics(ComponentOptions component, string metadataKey, string key, List<string> problems)
    {
        var value = ComponentMetadata.GetString(component, metadataKey);
        return value is null
            ? new HashSet<string>(StringComparer.Ordinal)
            : new HashSet<string>(SplitTopics(RemoveBlanks(value), $"{key}:Metadata:{metadataKey}", problems), StringComparer.Ordinal);
    }

    private static IEnumerable<string> SplitTopics(string topics, string where, List<string> problems)
    {
        foreach (var topic in topics.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Names.IsValidTopic(topic) || Names.HasReservedSuffix(topic))
            {
                problems.Add($"{where}: '{Shorten(topic)}' is not a topic any app can use; topics match {Names.TopicPattern} and do not end with {string.Join(" or ", Names.ReservedTopicSuffixes)}.");
                continue;
            }

            yield return topic;
        }
    }

    private static string RemoveBlanks(string value) => string.Concat(value.Where(character => !char.IsWhiteSpace(character)));

    private static string Shorten(string text) => text.Length <= 64 ? text : $"{text[..64]}… ({text.Length} characters)";
}
