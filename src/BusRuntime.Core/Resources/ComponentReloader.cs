using BusRuntime.Core.AppConfiguration;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Secrets;
using BusRuntime.Core.State;
using BusRuntime.Core.Stores;
using BusRuntime.Core.Subscriptions;
using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.Resources;

/// <summary>
/// Hot reload of the resource files' components (Dapr 1.18's HotReload): given what the files declare now, puts each
/// changed, added or removed component of a reloadable kind (state, lock, configuration, secret store, output binding,
/// pub/sub) in place with <see cref="IReloadableStores.Apply"/>, leaving calls in flight on the old one. A component the
/// sidecar would refuse keeps the running one and is logged; changed declared subscriptions go to
/// <see cref="DeclaredSubscriptions.Replace"/>; another broker or a kind that is not reloadable is logged as needing a restart.
/// </summary>
public sealed class ComponentReloader(IEnumerable<IReloadableStores> stores, DeclaredSubscriptions declared, string appId, ILogger logger)
{
    private readonly Dictionary<string, IReloadableStores> byKind =
        stores.Distinct().ToDictionary(each => each.Kind.Kind, StringComparer.Ordinal);

    /// <summary>
    /// Applies <paramref name="loaded"/> over <paramref name="running"/>; returns what runs afterwards and the stores
    /// taken out of service (to dispose once the calls that hold them are done).
    /// </summary>
    public (ResourceSet Running, IReadOnlyList<object> Replaced) Apply(ResourceSet running, ResourceSet loaded)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(loaded);
        var now = running.Components.ToDictionary(each => each.Component.Name, StringComparer.Ordinal);
        var wanted = loaded.Components.ToDictionary(each => each.Component.Name, StringComparer.Ordinal);
        var replaced = new List<object>();
        foreach (var name in now.Keys.Union(wanted.Keys).Order(StringComparer.Ordinal).ToList())
        {
            var before = now.GetValueOrDefault(name);
            var after = wanted.GetValueOrDefault(name);
            if (before is not null && after is not null && Same(before.Component, after.Component))
            {
                now[name] = after;
                continue;
            }

            var file = (after ?? before)!.File;
            var kinds = new[] { before, after }.OfType<DeclaredComponent>().Select(each => ComponentTypes.KindOf(each.Component.Type)).Distinct().ToList();
            if (kinds.FirstOrDefault(kind => !byKind.ContainsKey(kind)) is { } fixedKind)
            {
                Log.NeedsRestart(logger, file, name, $"a {fixedKind} component is not reloaded while the sidecar runs");
                continue;
            }

            try
            {
                if (after is not null)
                {
                    Check(after.Component);
                }

                if (before is not null && (after is null || ComponentTypes.KindOf(before.Component.Type) != ComponentTypes.KindOf(after.Component.Type)))
                {
                    AddReplaced(replaced, byKind[ComponentTypes.KindOf(before.Component.Type)].Apply(name, null));
                }

                if (after is not null)
                {
                    AddReplaced(replaced, byKind[ComponentTypes.KindOf(after.Component.Type)].Apply(name, after.Component));
                    now[name] = after;
                    Log.Reloaded(logger, file, name, after.Component.Type, before is null ? "added" : "replaced");
                }
                else
                {
                    now.Remove(name);
                    Log.Reloaded(logger, file, name, before!.Component.Type, "removed");
                }
            }
            catch (InvalidOperationException refused)
            {
                Log.ReloadRefused(logger, file, name, refused.Message);
            }
        }

        if (!running.Settings.OrderBy(pair => pair.Key, StringComparer.Ordinal).SequenceEqual(loaded.Settings.OrderBy(pair => pair.Key, StringComparer.Ordinal)))
        {
            Log.NeedsRestart(logger, string.Join(", ", loaded.Files), "pubsub.rabbitmq", "the bus's broker changed");
        }

        if (running.Subscriptions.Count != loaded.Subscriptions.Count || running.Subscriptions.Zip(loaded.Subscriptions).Any(pair => !pair.First.SameAs(pair.Second)))
        {
            declared.Replace(loaded.Subscriptions);
            Log.SubscriptionsReloaded(logger, string.Join(", ", loaded.Files), loaded.Subscriptions.Count);
        }

        return (new ResourceSet(loaded.Files, [.. now.Values], loaded.Subscriptions, running.Settings, loaded.Notes), replaced);
    }

    private static void AddReplaced(List<object> replaced, object? store)
    {
        if (store is not null)
        {
            replaced.Add(store);
        }
    }

    /// <summary>What the managers read from a component's metadata, read now so that a bad value keeps the running component.</summary>
    private void Check(ComponentOptions component)
    {
        switch (ComponentTypes.KindOf(component.Type))
        {
            case "state":
                _ = StateChangeEvents.For(component);
                break;
            case "configuration":
                _ = ConfigurationReadScopes.For(component, appId);
                break;
            case "secretstores":
                _ = SecretManager.AllowedOf(component);
                break;
        }
    }

    private static bool Same(ComponentOptions left, ComponentOptions right) =>
        left.Type == right.Type
        && left.Metadata.Count == right.Metadata.Count
        && left.Metadata.All(pair => right.Metadata.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
