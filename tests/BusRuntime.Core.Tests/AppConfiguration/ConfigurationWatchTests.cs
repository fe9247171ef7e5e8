using BusRuntime.Contracts;
using BusRuntime.Core.AppConfiguration;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Resilience;
using BusRuntime.Core.Stores;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Polly.Registry;

namespace BusRuntime.Core.Tests.AppConfiguration;

/// <summary>
/// Watches fed by ConfigurationChanged events on the test harness's bus: stale and foreign events are left
/// out, a watch that falls behind reads the store again (until that works), and a disposed watch is unregistered.
/// </summary>
public sealed class ConfigurationWatchTests
{
    // The sidecar of the app whose configuration the tests save: an app writes only its own.
    private static readonly Dictionary<string, string?> AsBilling = new() { ["BusRuntime:AppId"] = "billing" };

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly Uri OtherSidecar = new("loopback://localhost/other-sidecar");

    [Fact]
    public async Task ReadAllAsync_EventOlderThanWhatTheWatchWasSent_IsLeftOut()
    {
        await using var core = await CoreHarness.StartAsync(AsBilling);
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
        await using var core = await CoreHarness.StartAsync(AsBilling);
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
    public async Task ReadAllAsync_ReadingTheStoreAgainFails_TriesAgainAfter1Then2Then4SecondsAndSendsWhatItMissed()
    {
        var clock = new FakeTimeProvider();
        var log = new RereadLog();
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddLogging(logging => logging.AddProvider(log))
            .AddSingleton<TimeProvider>(clock)
            .AddBusRuntimeCore()
            .BuildServiceProvider(validateScopes: true);
        var reread = services.GetRequiredService<ResiliencePipelineProvider<ResiliencePipelineKey>>()
            .GetPipeline(new ResiliencePipelineKey(ResiliencePipelines.ConfigurationReread, "flaky"));
        var store = new FlakyStore(failingRereads: 3);
        var component = new ComponentOptions { Name = "flaky", Type = ComponentTypes.ConfigurationPostgres };
        using var watch = new ConfigurationWatch(
            new NamedStore<IConfigurationStore>("flaky", component, store, KeyScope.For(component, "billing")), Subscription("flaky"), _ => { }, reread);
        await using var updates = watch.ReadAllAsync(CancellationToken.None).GetAsyncEnumerator();
        Assert.Empty(await NextAsync(updates));
        var start = clock.GetUtcNow();

        watch.RequestReread();
        var next = updates.MoveNextAsync().AsTask();
        for (var step = 0; step < 300 && !next.IsCompleted; step++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(next, Task.Delay(10));
        }

        Assert.True(await next.WaitAsync(Wait), "the watch ended");
        Assert.Equal("missed", Assert.Single(updates.Current).Content);
        Assert.Equal(5, store.Reads);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], log.Delays);
        Assert.True(clock.GetUtcNow() - start >= TimeSpan.FromSeconds(7), $"read again after {clock.GetUtcNow() - start}");
    }

    [Fact]
    public async Task Dispose_Watch_IsNoLongerCounted()
    {
        await using var core = await CoreHarness.StartAsync(AsBilling);
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
            ["BusRuntime:AppId"] = "billing",
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

    /// <summary>Empty at first; then <c>failingRereads</c> reads fail before one finds the item "missed".</summary>
    private sealed class FlakyStore(int failingRereads) : IConfigurationStore
    {
        private int reads;

        public int Reads => Volatile.Read(ref reads);

        public bool IsShared => true;

        public Task<IReadOnlyList<StoredConfigurationItem>> GetAsync(
            string appId, string group, string label, IReadOnlyCollection<string> keys, bool includeDeleted, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref reads) switch
            {
                1 => Task.FromResult<IReadOnlyList<StoredConfigurationItem>>([]),
                var read when read <= 1 + failingRereads => throw new InvalidOperationException("the database is down"),
                _ => Task.FromResult<IReadOnlyList<StoredConfigurationItem>>(
                    [new StoredConfigurationItem(group, label, "timeout", "missed", new Dictionary<string, string>(), new Dictionary<string, string>(), 3)]),
            };

        public Task<IReadOnlyList<long>> SaveAsync(string appId, IReadOnlyList<ConfigurationItem> items, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<StoredConfigurationItem>> DeleteAsync(
            string appId, string group, string label, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task CheckHealthAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>The delay each "reading the store again failed" line announced.</summary>
    private sealed class RereadLog : ILoggerProvider, ILogger
    {
        private readonly List<TimeSpan> delays = [];

        public IReadOnlyList<TimeSpan> Delays
        {
            get
            {
                lock (delays)
                {
                    return [.. delays];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 421 && state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                lock (delays)
                {
                    delays.Add((TimeSpan)values.Single(value => value.Key == "Delay").Value!);
                }
            }
        }

        public void Dispose()
        {
        }
    }
}
