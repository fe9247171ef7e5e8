using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Resources;
using BusRuntime.Core.State;
using BusRuntime.Core.Stores;
using BusRuntime.Stores.InMemory.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace BusRuntime.Core.Tests.Resources;

public sealed class ComponentReloaderTests
{
    private static readonly IStoreFactory<IStateStore>[] Factories =
        [new StoreFactory<IStateStore>(ComponentTypes.StateInMemory, _ => new InMemoryStateStore(TimeProvider.System))];

    private static ComponentOptions State(string name, string keyPrefix = "appid") =>
        new() { Name = name, Type = ComponentTypes.StateInMemory, Metadata = { ["keyPrefix"] = keyPrefix } };

    private static ResourceSet Set(params ComponentOptions[] components) =>
        new(["a.yaml"], [.. components.Select(component => new DeclaredComponent("a.yaml", component.Type, component))], [], new Dictionary<string, string>(), []);

    [Fact]
    public void Apply_ChangedComponent_ReplacesItWhileTheOldStoreStaysUsableToItsHolders()
    {
        var stores = new NamedStores<IStateStore>(ComponentKind.State, [State("cart")], Factories, "orders");
        var holder = stores.Get("cart");

        var (running, replaced) = new ComponentReloader([stores], "orders", NullLogger.Instance).Apply(Set(State("cart")), Set(State("cart", "name")));

        var now = stores.Get("cart");
        Assert.NotSame(holder.Store, now.Store);
        Assert.Equal("cart", now.Keys.Prefix);
        Assert.Same(holder.Store, Assert.Single(replaced));
        Assert.Equal("name", Assert.Single(running.Components).Component.Metadata["keyPrefix"]);
        Assert.Equal("orders", holder.Keys.Prefix);
    }

    [Fact]
    public void Apply_AddedAndRemovedComponents_AreAddedAndRemoved()
    {
        var stores = new NamedStores<IStateStore>(ComponentKind.State, [State("cart")], Factories, "orders");

        var (running, _) = new ComponentReloader([stores], "orders", NullLogger.Instance).Apply(Set(State("cart")), Set(State("orders")));

        Assert.Equal(["orders"], stores.Names);
        Assert.Equal(ErrorCode.ComponentNotFound, Assert.Throws<RuntimeException>(() => stores.Get("cart")).Code);
        Assert.Equal("orders", Assert.Single(running.Components).Component.Name);
    }

    [Fact]
    public void Apply_ComponentTheSidecarRefuses_KeepsTheRunningOne()
    {
        var stores = new NamedStores<IStateStore>(ComponentKind.State, [State("cart")], Factories, "orders");
        var before = stores.Get("cart").Store;
        var refused = State("cart");
        refused.Metadata["publishChanges"] = "yes";

        var (running, replaced) = new ComponentReloader([stores], "orders", NullLogger.Instance).Apply(Set(State("cart")), Set(refused));

        Assert.Same(before, stores.Get("cart").Store);
        Assert.Empty(replaced);
        Assert.False(Assert.Single(running.Components).Component.Metadata.ContainsKey("publishChanges"));
    }

    [Fact]
    public void Apply_PubSubComponentChanged_IsLeftForARestart()
    {
        var stores = new NamedStores<IStateStore>(ComponentKind.State, [], Factories, "orders");
        var pubsub = new ComponentOptions { Name = "events", Type = ComponentTypes.PubSubBus };

        var (running, replaced) = new ComponentReloader([stores], "orders", NullLogger.Instance).Apply(Set(), Set(pubsub));

        Assert.Empty(running.Components);
        Assert.Empty(replaced);
    }
}
