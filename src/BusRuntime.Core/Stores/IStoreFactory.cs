using BusRuntime.Core.Configuration;

namespace BusRuntime.Core.Stores;

/// <summary>Creates the store of one component type (e.g. "state.postgresql") from its configuration.</summary>
public interface IStoreFactory<out TStore>
    where TStore : class
{
    string Type { get; }

    TStore Create(ComponentOptions component);
}
