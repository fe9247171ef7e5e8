using System.Runtime.CompilerServices;
using BusRuntime.Core.Configuration;

namespace BusRuntime.Core.Stores;

/// <summary>
/// What a manager reads from each component's metadata (e.g. a state store's publishChanges): read for every
/// component at start-up, so a bad value stops it, and for a component a resource file puts in place later
/// (<see cref="NamedStores{TStore}.Apply"/>) on its first use.
/// </summary>
public sealed class StoreSettings<TStore, TValue>
    where TStore : class
{
    private readonly ConditionalWeakTable<NamedStore<TStore>, Box> values = [];
    private readonly Func<ComponentOptions, TValue> read;

    public StoreSettings(NamedStores<TStore> stores, Func<ComponentOptions, TValue> read)
    {
        ArgumentNullException.ThrowIfNull(stores);
        this.read = read ?? throw new ArgumentNullException(nameof(read));
        foreach (var store in stores.All)
        {
            values.Add(store, new Box(read(store.Component)));
        }
    }

    public TValue this[NamedStore<TStore> store] => values.GetValue(store, created => new Box(read(created.Component))).Value;

    private sealed record Box(TValue Value);
}
