using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;

namespace BusRuntime.Core.Stores;

/// <summary>
/// The components of one kind (state, lock, sequencer, file, binding), created at start-up by the factory of each
/// component's type and found by the name apps use (<c>store_name</c>). A resource file's change may replace one
/// (<see cref="Apply"/>): lookups then find the new one, while calls that hold the old one complete on it.
/// </summary>
public sealed class NamedStores<TStore> : IReloadableStores
    where TStore : class
{
    private readonly Dictionary<string, IStoreFactory<TStore>> byType;
    private readonly string appId;
    private readonly Lock writing = new();

    // Replaced whole, never changed: a reader sees one consistent set.
    private volatile Snapshot current;

    public NamedStores(ComponentKind kind, IEnumerable<ComponentOptions> components, IEnumerable<IStoreFactory<TStore>> factories, string appId)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(factories);
        Kind = kind;
        this.appId = appId;
        // A type registered twice (the same Add… called twice) keeps its first factory, as TryAdd would.
        byType = factories.GroupBy(factory => factory.Type, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
        var stores = new Dictionary<string, NamedStore<TStore>>(StringComparer.Ordinal);
        foreach (var component in components.Where(kind.Includes))
        {
            stores[component.Name] = Create(component);
        }

        current = new Snapshot(stores);
    }

    public ComponentKind Kind { get; }

    public IReadOnlyList<string> Names => current.Names;

    public IEnumerable<NamedStore<TStore>> All => current.Stores.Values;

    /// <summary>The component called <paramref name="name"/>, or null.</summary>
    public NamedStore<TStore>? TryGet(string name) => current.Stores.GetValueOrDefault(name);

    public object? Apply(string name, ComponentOptions? component)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (component is not null && (component.Name != name || !Kind.Includes(component)))
        {
            throw new ArgumentException($"component '{component.Name}' ({component.Type}) cannot take the place of a {Kind.Kind} component '{name}'.", nameof(component));
        }

        var created = component is null ? null : Create(component);
        lock (writing)
        {
            var stores = new Dictionary<string, NamedStore<TStore>>(current.Stores, StringComparer.Ordinal);
            stores.Remove(name, out var replaced);
            if (created is not null)
            {
                stores[name] = created;
            }

            current = new Snapshot(stores);
            return replaced?.Store;
        }
    }

    /// <summary>The store apps call <paramref name="name"/>: INVALID_ARGUMENT when empty, ComponentNotFound listing the configured names when unknown.</summary>
    public NamedStore<TStore> Get(string name)
    {
        var snapshot = current;
        if (string.IsNullOrEmpty(name))
        {
            throw RuntimeException.InvalidArgument(snapshot.Names.Count == 0
                ? $"{Kind.Field} is empty, and no {Kind.Noun} {Kind.Thing} is configured."
                : $"{Kind.Field} is empty; name a {Kind.Noun} {Kind.Thing}: {string.Join(", ", snapshot.Names)}.");
        }

        return snapshot.Stores.TryGetValue(name, out var store)
            ? store
            : throw RuntimeException.ComponentNotFound(snapshot.Names.Count == 0
                ? $"{Kind.Field} {Quoted.Of(name)} is not a configured {Kind.Noun} {Kind.Thing}; none is configured (BusRuntime:Components)."
                : $"{Kind.Field} {Quoted.Of(name)} is not a configured {Kind.Noun} {Kind.Thing}; configured: {string.Join(", ", snapshot.Names)}.");
    }

    private NamedStore<TStore> Create(ComponentOptions component)
    {
        if (!byType.TryGetValue(component.Type, out var factory))
        {
            throw new InvalidOperationException(
                $"BusRuntime:Components[{component.Name}]:Type '{component.Type}' has no implementation in this sidecar; available: {string.Join(", ", byType.Keys.Order(StringComparer.Ordinal))}.");
        }

        return new NamedStore<TStore>(component.Name, component, factory.Create(component), KeyScope.For(component, appId));
    }

    private sealed class Snapshot(Dictionary<string, NamedStore<TStore>> stores)
    {
        public Dictionary<string, NamedStore<TStore>> Stores { get; } = stores;

        public IReadOnlyList<string> Names { get; } = [.. stores.Keys.Order(StringComparer.Ordinal)];
    }
}
