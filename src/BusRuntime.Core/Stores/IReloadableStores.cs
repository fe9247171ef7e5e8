using BusRuntime.Core.Configuration;

namespace BusRuntime.Core.Stores;

/// <summary>
/// The components of one kind, which a changed resource file may replace while the sidecar runs (hot reload):
/// state, lock, configuration, secret stores, output bindings and pub/sub components (their scopes).
/// </summary>
public interface IReloadableStores
{
    ComponentKind Kind { get; }

    /// <summary>
    /// Puts <paramref name="component"/> in place of the component called <paramref name="name"/> (adding it when there
    /// is none; null removes it) and returns the store it replaced, or null. Calls that already hold the old store
    /// complete on it. A component its factory refuses throws <see cref="InvalidOperationException"/> and changes nothing.
    /// </summary>
    object? Apply(string name, ComponentOptions? component);
}
