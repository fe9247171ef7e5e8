using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Stores;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.PubSub;

/// <summary>
/// The pub/sub components apps may name — "pubsub" alone when configuration declares none (<see cref="DefaultComponents"/>) —
/// and the topics of each that this sidecar's app may publish and subscribe to (<see cref="TopicScopes"/>). All of them
/// are names on the sidecar's one bus, so a changed resource file may add, replace or remove one while the sidecar runs
/// (<see cref="Apply"/>); subscriptions made before keep running as they were subscribed.
/// </summary>
public sealed class PubSubComponents : IReloadableStores
{
    private readonly Lock writing = new();
    private readonly string appId;
    private volatile Snapshot current;

    public PubSubComponents(IOptions<ComponentsOptions> options, IOptions<RuntimeOptions> runtimeOptions)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runtimeOptions);
        appId = runtimeOptions.Value.AppId;
        current = new Snapshot(options.Value.Components
            .Where(ComponentKind.PubSub.Includes)
            .ToDictionary(component => component.Name, component => TopicScopes.For(component, appId), StringComparer.Ordinal));
    }

    public ComponentKind Kind => ComponentKind.PubSub;

    public IReadOnlyList<string> Names => current.Names;

    /// <summary>
    /// Puts the scopes of <paramref name="component"/> in place of the pub/sub called <paramref name="name"/> (adding it
    /// when there is none; null removes it). Scope metadata in error throws <see cref="InvalidOperationException"/>.
    /// </summary>
    public object? Apply(string name, ComponentOptions? component)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (component is not null && (component.Name != name || !Kind.Includes(component)))
        {
            throw new ArgumentException($"component '{component.Name}' ({component.Type}) cannot take the place of a pub/sub component '{name}'.", nameof(component));
        }

        if (component is not null && TopicScopes.Problems(component, $"pub/sub {Quoted.Of(name)}") is [var problem, ..])
        {
            throw new InvalidOperationException(problem);
        }

        lock (writing)
        {
            var scopes = new Dictionary<string, TopicScopes>(current.Scopes, StringComparer.Ordinal);
            scopes.Remove(name);
            if (component is not null)
            {
                scopes[name] = TopicScopes.For(component, appId);
            }

            current = new Snapshot(scopes);
        }

        return null;
    }

    /// <summary>Throws INVALID_ARGUMENT for an empty name and ComponentNotFound, listing the configured names, for an unknown one.</summary>
    public void EnsureExists(string pubsubName) => _ = ScopesOf(pubsubName);

    /// <summary>Throws PERMISSION_DENIED when the component's scopes do not let this app publish to the topic.</summary>
    public void EnsureMayPublish(string pubsubName, string topic)
    {
        if (ScopesOf(pubsubName).PublishRefusal(topic) is { } reason)
        {
            throw RuntimeException.PermissionDenied($"app '{appId}' may not publish to topic '{topic}' of pub/sub '{pubsubName}': {reason}");
        }
    }

    /// <summary>Throws PERMISSION_DENIED when the component's scopes do not let this app subscribe to the topic.</summary>
    public void EnsureMaySubscribe(string pubsubName, string topic)
    {
        if (ScopesOf(pubsubName).SubscribeRefusal(topic) is { } reason)
        {
            throw RuntimeException.PermissionDenied($"app '{appId}' may not subscribe to topic '{topic}' of pub/sub '{pubsubName}': {reason}");
        }
    }

    private TopicScopes ScopesOf(string pubsubName)
    {
        var snapshot = current;
        if (string.IsNullOrEmpty(pubsubName))
        {
            throw RuntimeException.InvalidArgument("pubsub_name is empty; name a pub/sub component: " + string.Join(", ", snapshot.Names) + ".");
        }

        return snapshot.Scopes.TryGetValue(pubsubName, out var scopes)
            ? scopes
            : throw RuntimeException.ComponentNotFound(
                $"pubsub_name {Quoted.Of(pubsubName)} is not a configured pub/sub component; configured: {string.Join(", ", snapshot.Names)}.");
    }

    private sealed class Snapshot(Dictionary<string, TopicScopes> scopes)
    {
        public Dictionary<string, TopicScopes> Scopes { get; } = scopes;

        public IReadOnlyList<string> Names { get; } = [.. scopes.Keys.Order(StringComparer.Ordinal)];
    }
}
