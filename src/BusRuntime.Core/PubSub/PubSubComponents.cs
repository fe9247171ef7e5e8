using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.PubSub;

/// <summary>
/// The pub/sub components apps may name — "pubsub" alone when configuration declares none (<see cref="DefaultComponents"/>) —
/// and the topics of each that this sidecar's app may publish and subscribe to (<see cref="TopicScopes"/>).
/// </summary>
public sealed class PubSubComponents
{
    private readonly Dictionary<string, TopicScopes> scopes;
    private readonly string appId;

    public PubSubComponents(IOptions<ComponentsOptions> options, IOptions<RuntimeOptions> runtimeOptions)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runtimeOptions);
        appId = runtimeOptions.Value.AppId;
        scopes = options.Value.Components
            .Where(ComponentKind.PubSub.Includes)
            .ToDictionary(component => component.Name, component => TopicScopes.For(component, appId), StringComparer.Ordinal);
        Names = [.. scopes.Keys.Order(StringComparer.Ordinal)];
    }

    public IReadOnlyList<string> Names { get; }

    /// <summary>Throws INVALID_ARGUMENT for an empty name and ComponentNotFound, listing the configured names, for an unknown one.</summary>
    public void EnsureExists(string pubsubName)
    {
        if (string.IsNullOrEmpty(pubsubName))
        {
            throw RuntimeException.InvalidArgument("pubsub_name is empty; name a pub/sub component: " + string.Join(", ", Names) + ".");
        }

        if (!scopes.ContainsKey(pubsubName))
        {
            throw RuntimeException.ComponentNotFound($"pubsub_name {Quoted.Of(pubsubName)} is not a configured pub/sub component; configured: {string.Join(", ", Names)}.");
        }
    }

    /// <summary>Throws PERMISSION_DENIED when the component's scopes do not let this app publish to the topic (a configured component).</summary>
    public void EnsureMayPublish(string pubsubName, string topic)
    {
        if (scopes[pubsubName].PublishRefusal(topic) is { } reason)
        {
            throw RuntimeException.PermissionDenied($"app '{appId}' may not publish to topic '{topic}' of pub/sub '{pubsubName}': {reason}");
        }
    }

    /// <summary>Throws PERMISSION_DENIED when the component's scopes do not let this app subscribe to the topic (a configured component).</summary>
    public void EnsureMaySubscribe(string pubsubName, string topic)
    {
        if (scopes[pubsubName].SubscribeRefusal(topic) is { } reason)
        {
            throw RuntimeException.PermissionDenied($"app '{appId}' may not subscribe to topic '{topic}' of pub/sub '{pubsubName}': {reason}");
        }
    }
}
