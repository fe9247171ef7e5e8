using BusRuntime.Contracts;
using BusRuntime.Core.AppConfiguration;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Stores;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Core.Tests.AppConfiguration;

/// <summary>
/// Watches fed by ConfigurationChanged events on the test harness's bus: stale and foreign events are left
/// out, a watch that falls behind reads the store again, and a disposed watch is unregistered.
/// </summary>
public sealed class ConfigurationWatchTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly Uri OtherSidecar = new("loopback://localhost/other-sidecar");

    [Fact]
    public async Task ReadAllAsync_EventOlderThanWhatTheWatchWasSent_IsLeftOut()
    {
        await using var core = await CoreHarness.StartAsync();
        var configuration = core.Get<AppConfigurationManager>();
        using var watch = await configuration.SubscribeAsync(Subscription("configstore"), CancellationToken.None);
        await using var updates = watch.ReadAllAsync(CancellationToken.None).GetAsyncEnumerator();
        await NextAsync(updates);
        await configuration.SaveAsync("configstore", "billing", [Item("timeout", "10s")], CancellationToken.None);
        var current = Assert.Single(await NextAsync(updates));

        await core.Harness.Bus.Publish(Change("configstore", "timeout", "stale", current.Version - 1));
        await configuration.SaveAsync("configstore", "billing", [Item("timeout", "5s")], CancellationToken.None);

        var next = Assert.Single(await NextAsync(updates));
        Assert.Equal("5s", next.Content);
        Assert.True(next.Version > current.Version);
    }

    [Fact]
    public async Task ReadAllAsync_AnotherSidecarsEventForAStoreInThisSidecarsMemory_IsLeftOut()
    {
        await using var core = await CoreHarness.StartAsync();
        var configuration = core.Get<AppConfigurationManager>();
        using var watch = await configuration.SubscribeAsync(Subscription("configstore"), CancellationToken.None);
        await using var updates = watch.ReadAllAsync(CancellationToken.None).GetAsyncEnumerator();
        await NextAsync(updates);

        await core.Harness.Bus.Publish(Change("configstore", "timeout", "someone else's", 1_000_000), context => context.SourceAddress = OtherSidecar);
        await configuration.SaveAsync("configstore", "billing", [Item("timeout", "mine")], CancellationToken.None);

        Assert.Equal("mine", Assert.Single(await NextAsync(updates)).Content);
    }

    [Fact]
    public async Task ReadAllAsync_AnotherSidecarsEventForASharedStore_Arrives()
    {
        await using var core = await StartSharedAsync();
        var configuration = core.Get<AppConfigurationManager>();
        using var watch = await configuration.SubscribeAsync(Subscription("shared"), CancellationToken.None);
        await using var updates = watch.ReadAllAsync(CancellationToken.None).GetAsyncEnumerator();
        await NextAsync(updates);

        await core.Harness.Bus.Publish(Change("shared", "timeout", "theirs", 7), context => context.SourceAddress = OtherSidecar);

        var item = Assert.Single(await NextAsync(updates));
        Assert.Equal(("timeout", "theirs", 7L), (item.Key, item.Content, item.Version));
    }

    [Fact]
    public async Task ReadAllAsync_MoreChangesThanTheWatchHolds_ReadsTheStoreAgainAndMissesNoFinalValue()
    {
        await using var core = await StartSharedAsync();
        var configuration = core.Get<AppConfigurationManager>();
        var store = core.Get<NamedStores<IConfigurationStore>>().Get("shared").Store;
        using var watch = await configuration.SubscribeAsync(Subscription("shared"), CancellationToken.None);
        await using var updates = watch.ReadAllAsync(CancellationToken.None).GetAsyncEnumerator();
        await NextAsync(updates);

        // A change whose event never comes, then more events than the watch holds while nobody reads it:
        // the events beyond its capacity are dropped, and reading the store again finds the silent change.
        var silent = (await store.SaveAsync("billing", [Item("silent", "final", "default", "default")], CancellationToken.None))[0];
        var noise = ConfigurationWatch.Capacity + 50;
        for (var version = 1; version <= noise; version++)
        {
            await core.Harness.Bus.Publish(Change("shared", "noise", $"{version}", silent + version), context => context.SourceAddress = OtherSidecar);
        }

        await WaitUntilAsync(() => core.Harness.Consumed.Select<ConfigurationChanged>().Count() >= noise, "every event was consumed");
        var seen = new Dictionary<string, StoredConfigurationItem>(StringComparer.Ordinal);
        while (!seen.ContainsKey("silent"))
        {
            foreach (var item in await NextAsync(updates))
            {
                Assert.True(!seen.TryGetValue(item.Key, out var before) || item.Version > before.Version, $"{item.Key} went back from version {before?.Version} to {item.Version}");
                seen[item.Key] = item;
            }
        }

        Assert.Equal("final", seen["silent"].Content);
    }

    [Fact]
    public async Task Dispose_Watch_IsNoLongerCounted()
    {
        await using var core = await CoreHarness.StartAsync();
        var subscriptions = core.Get<ConfigurationSubscriptions>();
        var configuration = core.Get<AppConfigurationManager>();

        var first = await configuration.SubscribeAsync(Subscription("configstore"), CancellationToken.None);
        using (await configuration.SubscribeAsync(Subscription("configstore"), CancellationToken.None))
        {
            Assert.Equal(2, subscriptions.Count);
        }

        Assert.Equal(1, subscriptions.Count);
        first.Dispose();
        Assert.Equal(0, subscriptions.Count);
    }

    private static Task<CoreHarness> StartSharedAsync() => CoreHarness.StartAsync(
        new Dictionary<string, string?>
        {
            ["BusRuntime:Components:0:Name"] = "shared",
            ["BusRuntime:Components:0:Type"] = ComponentTypes.ConfigurationPostgres,
        },
        services: services => services.AddSingleton<IStoreFactory<IConfigurationStore>>(
            new StoreFactory<IConfigurationStore>(ComponentTypes.ConfigurationPostgres, _ => new SharedInMemoryConfigurationStore())));

    private static ConfigurationSubscription Subscription(string store) => new(store, "billing", "", "", []);

    private static ConfigurationItem Item(string key, string content, string group = "", string label = "") =>
        new(key, content, group, label, new Dictionary<string, string>(), new Dictionary<string, string>());

    private static ConfigurationChanged Change(string store, string key, string content, long version) => new()
    {
        StoreName = store,
        AppId = "billing",
        Group = "default",
        Label = "default",
        Key = key,
        Content = content,
        Version = version,
    };

    private static async Task<IReadOnlyList<StoredConfigurationItem>> NextAsync(IAsyncEnumerator<IReadOnlyList<StoredConfigurationItem>> updates)
    {
        var next = updates.MoveNextAsync().AsTask();
        Assert.True(await next.WaitAsync(Wait), "the watch ended");
        return updates.Current;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached in time: {what}");
            await Task.Delay(20);
        }
    }
}
