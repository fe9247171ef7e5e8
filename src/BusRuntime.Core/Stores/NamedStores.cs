using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;

namespace BusRuntime.Core.Stores;

/// <summary>
/// The components of one kind (state, lock, sequencer, file, binding), created once at start-up by the factory of each
/// component's type and found by the name apps use (<c>store_name</c>).
/// </summary>
public sealed class NamedStores<TStore>
    where TStore : class
{
    private readonly Dictionary<string, NamedStore<TStore>> stores;

    public NamedStores(ComponentKind kind, IEnumerable<ComponentOptions> components, IEnumerable<IStoreFactory<TStore>> factories, string appId)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(factories);
        Kind = kind;
        // A type registered twice (the same Add… called twice) keeps its first factory, as TryAdd would.
        var byType = factories.GroupBy(factory => factory.Type, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
        stores = new Dictionary<string, NamedStore<TStore>>(StringComparer.Ordinal);
        foreach (var component in components.Where(kind.Includes))
        {
            if (!byType.TryGetValue(component.Type, out var factory))
            {
                throw new InvalidOperationException(
                    $"BusRuntime:Components[{component.Name}]:Type '{component.Type}' has no implementation in this sidecar; available: {string.Join(", ", byType.Keys.Order(StringComparer.Ordinal))}.");
            }

            stores[component.Name] = new NamedStore<TStore>(component.Name, component, factory.Create(component), KeyScope.For(component, appId));
        }

        Names = [.. stores.Keys.Order(StringComparer.Ordinal)];
    }

    public ComponentKind Kind { get; }

    public IReadOnlyList<string> Names { get; }

    public IEnumerable<NamedStore<TStore>> All => stores.Values;

    /// <summary>The store apps call <paramref name="name"/>: INVALID_ARGUMENT when empty, ComponentNotFound listing the configured names when unknown.</summary>
    public NamedStore<TStore> Get(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw RuntimeException.InvalidArgument(Names.Count == 0
                ? $"{Kind.Field} is empty, and no {Kind.Noun} {Kind.Thing} is configured."
                : $"{Kind.Field} is empty; name a {Kind.Noun} {Kind.Thing}: {string.Join(", ", Names)}.");
        }

        return stores.TryGetValue(name, out var store)
            ? store
            : throw RuntimeException.ComponentNotFound(Names.Count == 0
                ? $"{Kind.Field} {Quoted.Of(name)} is not a configured {Kind.Noun} {Kind.Thing}; none is configured (BusRuntime:Components)."
                : $"{Kind.Field} {Quoted.Of(name)} is not a configured {Kind.Noun} {Kind.Thing}; configured: {string.Join(", ", Names)}.");
    }
}
