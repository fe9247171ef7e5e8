using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.PubSub;
using BusRuntime.Core.Resources;
using BusRuntime.Core.State;
using BusRuntime.Core.Stores;
using BusRuntime.Core.Subscriptions;
using BusRuntime.Stores.InMemory.State;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

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

        var (running, replaced) = new ComponentReloader([stores], new DeclaredSubscriptions(), "orders", NullLogger.Instance).Apply(Set(State("cart")), Set(State("cart", "name")));

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

        var (running, _) = new ComponentReloader([stores], new DeclaredSubscriptions(), "orders", NullLogger.Instance).Apply(Set(State("cart")), Set(State("orders")));

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

        var (running, replaced) = new ComponentReloader([stores], new DeclaredSubscriptions(), "orders", NullLogger.Instance).Apply(Set(State("cart")), Set(refused));

        Assert.Same(before, stores.Get("cart").Store);
        Assert.Empty(replaced);
        Assert.False(Assert.Single(running.Components).Component.Metadata.ContainsKey("publishChanges"));
    }

    [Fact]
    public void Apply_SequencerComponentChanged_IsLeftForARestart()
    {
        var stores = new NamedStores<IStateStore>(ComponentKind.State, [], Factories, "orders");
        var sequencer = new ComponentOptions { Name = "ids", Type = ComponentTypes.SequencerInMemory };

        var (running, replaced) = new ComponentReloader([stores], new DeclaredSubscriptions(), "orders", NullLogger.Instance).Apply(Set(), Set(sequencer));

        Assert.Empty(running.Components);
        Assert.Empty(replaced);
    }

    [Fact]
    public void Apply_PubSubScopesChanged_TheNewScopesDecideWhatTheAppMayPublish()
    {
        static ComponentOptions Events(string publishingScopes) =>
            new() { Name = "events", Type = ComponentTypes.PubSubBus, Metadata = { [TopicScopes.PublishingScopesKey] = publishingScopes } };
        var pubSubs = PubSubsOf(Events("orders=created"));
        pubSubs.EnsureMayPublish("events", "created");

        var (running, _) = new ComponentReloader([pubSubs], new DeclaredSubscriptions(), "orders", NullLogger.Instance).Apply(Set(Events("orders=created")), Set(Events("orders=shipped")));

        pubSubs.EnsureMayPublish("events", "shipped");
        Assert.Equal(ErrorCode.PermissionDenied, Assert.Throws<RuntimeException>(() => pubSubs.EnsureMayPublish("events", "created")).Code);
        Assert.Equal("orders=shipped", Assert.Single(running.Components).Component.Metadata[TopicScopes.PublishingScopesKey]);
    }

    [Fact]
    public void Apply_PubSubAddedAndRemoved_AppsMayNameOnlyTheNewOne()
    {
        var pubSubs = PubSubsOf(new ComponentOptions { Name = "events", Type = ComponentTypes.PubSubBus });

        new ComponentReloader([pubSubs], new DeclaredSubscriptions(), "orders", NullLogger.Instance).Apply(
            Set(new ComponentOptions { Name = "events", Type = ComponentTypes.PubSubBus }),
            Set(new ComponentOptions { Name = "audit", Type = ComponentTypes.PubSubBus }));

        Assert.Equal(["audit"], pubSubs.Names);
        pubSubs.EnsureExists("audit");
        var gone = Assert.Throws<RuntimeException>(() => pubSubs.EnsureExists("events"));
        Assert.Equal(ErrorCode.ComponentNotFound, gone.Code);
        Assert.Contains("configured: audit.", gone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_PubSubScopesMalformed_KeepsTheRunningScopes()
    {
        var running = new ComponentOptions { Name = "events", Type = ComponentTypes.PubSubBus, Metadata = { [TopicScopes.PublishingScopesKey] = "orders=created" } };
        var broken = new ComponentOptions { Name = "events", Type = ComponentTypes.PubSubBus, Metadata = { [TopicScopes.PublishingScopesKey] = "orders:created" } };
        var pubSubs = PubSubsOf(running);

        var (now, _) = new ComponentReloader([pubSubs], new DeclaredSubscriptions(), "orders", NullLogger.Instance).Apply(Set(running), Set(broken));

        pubSubs.EnsureMayPublish("events", "created");
        Assert.Equal("orders=created", Assert.Single(now.Components).Component.Metadata[TopicScopes.PublishingScopesKey]);
    }

    [Fact]
    public async Task Apply_SubscriptionsChanged_PutsTheFilesNewListInPlaceAndWakesItsWatcher()
    {
        var before = new DeclaredSubscription("orders", new SubscriptionSpec("pubsub", "orders"), "a.yaml");
        var after = new DeclaredSubscription("orders", new SubscriptionSpec("pubsub", "orders") { DeadLetterTopic = "orders-dead" }, "a.yaml");
        var declared = new DeclaredSubscriptions([before]);
        var changed = declared.Current.Changed;

        var (running, _) = new ComponentReloader([], declared, "orders", NullLogger.Instance).Apply(WithSubscriptions(before), WithSubscriptions(after));

        await changed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Same(after, Assert.Single(declared.All));
        Assert.Same(after, Assert.Single(running.Subscriptions));
        Assert.False(declared.Current.Changed.IsCompleted);
    }

    [Fact]
    public void Apply_SubscriptionsUnchanged_LeavesTheDeclaredListAsItIs()
    {
        var subscription = new DeclaredSubscription("orders", new SubscriptionSpec("pubsub", "orders"), "a.yaml");
        var declared = new DeclaredSubscriptions([subscription]);
        var changed = declared.Current.Changed;

        new ComponentReloader([], declared, "orders", NullLogger.Instance).Apply(
            WithSubscriptions(subscription), WithSubscriptions(subscription with { Spec = new SubscriptionSpec("pubsub", "orders") }));

        Assert.False(changed.IsCompleted);
        Assert.Same(subscription, Assert.Single(declared.All));
    }

    private static ResourceSet WithSubscriptions(params DeclaredSubscription[] subscriptions) =>
        new(["a.yaml"], [], subscriptions, new Dictionary<string, string>(), []);

    private static PubSubComponents PubSubsOf(params ComponentOptions[] components)
    {
        var options = new ComponentsOptions();
        options.Components.AddRange(components);
        return new PubSubComponents(Options.Create(options), Options.Create(new RuntimeOptions { AppId = "orders" }));
    }
}
