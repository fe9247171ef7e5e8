using BusRuntime.Core.Configuration;

namespace BusRuntime.Core.Stores;

/// <summary>A store factory made of a type name and a function, for registering an implementation in one line.</summary>
public sealed class StoreFactory<TStore>(string type, Func<ComponentOptions, TStore> create) : IStoreFactory<TStore>
    where TStore : class
{
    public string Type => type;

    public TStore Create(ComponentOptions component) => create(component);
}
