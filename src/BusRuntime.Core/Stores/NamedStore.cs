using BusRuntime.Core.Configuration;

namespace BusRuntime.Core.Stores;

/// <summary>One configured component: its name, its configuration, its store and how it scopes keys.</summary>
public sealed record NamedStore<TStore>(string Name, ComponentOptions Component, TStore Store, KeyScope Keys)
    where TStore : class;
