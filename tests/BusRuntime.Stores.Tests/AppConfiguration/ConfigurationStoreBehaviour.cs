using System.Collections.Concurrent;
using BusRuntime.Core.AppConfiguration;

namespace BusRuntime.Stores.Tests.AppConfiguration;

/// <summary>What every configuration store does, whatever keeps the items.</summary>
public abstract class ConfigurationStoreBehaviour
{
    private const string App = "orders";
    private const string Group = "default";
    private const string Label = "default";

    private readonly Dictionary<string, IConfigurationStore> stores = new(StringComparer.Ordinal);

    protected IConfigurationStore Store => StoreNamed("configstore");

    /// <summary>A new store for the component <paramref name="name"/>, empty at the start of a test.</summary>
    protected abstract IConfigurationStore CreateStore(string name);

    protected IConfigurationStore StoreNamed(string name)
    {
        if (!stores.TryGetValue(name, out var store))
        {
            store = CreateStore(name);
            stores[name] = store;
        }

        return store;
    }

    [Fact]
    public async Task GetAsync_NothingSaved_ReturnsNothing()
    {
        Assert.Empty(await GetAsync());
        Assert.Empty(await GetAsync(["missing"], includeDeleted: true));
    }

    [Fact]
    public async Task SaveAsync_ThenGetAllKeys_ReturnsEveryItemInKeyOrderWithItsTagsAndMetadata()
    {
        var versions = await SaveAsync(Item("timeout", "30s", tags: new() { ["env"] = "prod" }), Item("retries", "3", metadata: new() { ["owner"] = "ops" }));

        var items = await GetAsync();

        Assert.Equal(["retries", "timeout"], items.Select(item => item.Key));
        Assert.Equal(["3", "30s"], items.Select(item => item.Content));
        Assert.Equal([versions[1], versions[0]], items.Select(item => item.Version));
        Assert.Equal("prod", items[1].Tags["env"]);
        Assert.Equal("ops", items[0].Metadata["owner"]);
        Assert.Empty(items[0].Tags);
        Assert.All(items, item => Assert.Equal((Group, Label, false), (item.Group, item.Label, item.IsDeleted)));
    }

    [Fact]
    public async Task SaveAsync_UnicodeMultilineAndEmptyContent_RoundTrips()
    {
        const string yaml = "name: 設定\nlimits:\n  cpu: \"2\"\n";
        await SaveAsync(Item("yaml", yaml), Item("empty", ""));

        var items = await GetAsync();

        Assert.Equal(["", yaml], items.Select(item => item.Content));
    }

    [Fact]
    public async Task SaveAsync_EverySave_GivesAGreaterVersionThanAnyBefore()
    {
        var first = await SaveAsync(Item("a", "1"), Item("b", "1"));
        var second = await SaveAsync(Item("a", "2"));
        var third = await SaveAsync(Item("b", "2"));

        Assert.True(first[0] != first[1]);
        Assert.True(second[0] > first.Max());
        Assert.True(third[0] > second[0]);
        Assert.Equal([second[0], third[0]], (await GetAsync()).Select(item => item.Version));
    }

    [Fact]
    public async Task SaveAsync_SameKeyTwiceInOneCall_TheLaterItemWinsWithTheGreaterVersion()
    {
        var versions = await SaveAsync(Item("k", "first"), Item("other", "x"), Item("k", "second"));

        var item = Assert.Single(await GetAsync(["k"]));
        Assert.Equal("second", item.Content);
        Assert.Equal(versions[2], item.Version);
        Assert.True(versions[2] > versions[0]);
    }

    [Fact]
    public async Task GetAsync_KeysNamed_ReturnsThoseThatExistInKeyOrder()
    {
        await SaveAsync(Item("a", "1"), Item("b", "2"), Item("c", "3"));

        var items = await GetAsync(["c", "missing", "a"]);

        Assert.Equal(["a", "c"], items.Select(item => item.Key));
    }

    [Fact]
    public async Task SaveAsync_OtherAppGroupLabelOrStore_KeepsItemsApart()
    {
        await SaveAsync(Item("k", "mine"));
        await Store.SaveAsync("billing", [Item("k", "billing's")], CancellationToken.None);
        await SaveAsync(Item("k", "payments'", group: "payments"));
        await SaveAsync(Item("k", "canary", label: "canary"));
        await StoreNamed("otherstore").SaveAsync(App, [Item("k", "other store's")], CancellationToken.None);

        Assert.Equal("mine", Assert.Single(await GetAsync()).Content);
        Assert.Equal("billing's", Assert.Single(await Store.GetAsync("billing", Group, Label, [], false, CancellationToken.None)).Content);
        Assert.Equal("payments'", Assert.Single(await Store.GetAsync(App, "payments", Label, [], false, CancellationToken.None)).Content);
        Assert.Equal("canary", Assert.Single(await Store.GetAsync(App, Group, "canary", [], false, CancellationToken.None)).Content);
        Assert.Equal("other store's", Assert.Single(await StoreNamed("otherstore").GetAsync(App, Group, Label, [], false, CancellationToken.None)).Content);
    }

    [Fact]
    public async Task DeleteAsync_ExistingKeys_LeavesTombstonesWithGreaterVersionsThatOnlyReadsOfDeletedItemsReturn()
    {
        var saved = await SaveAsync(Item("a", "1", tags: new() { ["env"] = "prod" }), Item("b", "2"), Item("c", "3"));

        var deleted = await DeleteAsync("c", "a", "missing");

        Assert.Equal(["a", "c"], deleted.Select(item => item.Key));
        Assert.All(deleted, item => Assert.True(item.IsDeleted));
        Assert.All(deleted, item => Assert.True(item.Version > saved.Max()));
        Assert.Equal(["b"], (await GetAsync()).Select(item => item.Key));
        var all = await GetAsync(includeDeleted: true);
        Assert.Equal(["a", "b", "c"], all.Select(item => item.Key));
        var tombstone = all[0];
        Assert.Null(tombstone.Content);
        Assert.Empty(tombstone.Tags);
        Assert.Equal(deleted[0].Version, tombstone.Version);
    }

    [Fact]
    public async Task DeleteAsync_KeyAlreadyDeletedOrMissing_ReturnsNothingAndKeepsTheTombstonesVersion()
    {
        await SaveAsync(Item("a", "1"));
        var first = Assert.Single(await DeleteAsync("a"));

        var again = await DeleteAsync("a", "never");

        Assert.Empty(again);
        Assert.Equal(first.Version, Assert.Single(await GetAsync(includeDeleted: true)).Version);
    }

    [Fact]
    public async Task SaveAsync_AfterADelete_BringsTheItemBackWithAGreaterVersion()
    {
        await SaveAsync(Item("a", "1"));
        var tombstone = Assert.Single(await DeleteAsync("a"));

        var versions = await SaveAsync(Item("a", "2"));

        var item = Assert.Single(await GetAsync());
        Assert.Equal("2", item.Content);
        Assert.True(versions[0] > tombstone.Version);
    }

    [Fact]
    public async Task SaveAsync_ConcurrentWritersOfOneKey_TheValueLeftIsTheOneWithTheGreatestVersion()
    {
        const int Writers = 16;
        const int Rounds = 10;
        var written = new ConcurrentBag<(long Version, string Content)>();

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                var content = $"{writer}-{round}";
                var versions = await Store.SaveAsync(App, [Item("shared", content), Item($"own-{writer}", content)], CancellationToken.None);
                written.Add((versions[0], content));
            }
        })));

        // The writer that committed last drew the greatest version: its value is the one left.
        var last = written.MaxBy(write => write.Version);
        var item = Assert.Single(await GetAsync(["shared"]));
        Assert.Equal(last.Version, item.Version);
        Assert.Equal(last.Content, item.Content);
        Assert.Equal(Writers * Rounds, written.Select(write => write.Version).Distinct().Count());
    }

    [Fact]
    public async Task DeleteAsync_RacingSavesOfTheSameKey_TheStateLeftMatchesTheGreatestVersion()
    {
        var outcomes = new ConcurrentBag<(long Version, string? Content)>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var round = 0; round < 10; round++)
            {
                if ((worker + round) % 2 == 0)
                {
                    var content = $"{worker}-{round}";
                    outcomes.Add(((await SaveAsync(Item("k", content)))[0], content));
                }
                else
                {
                    foreach (var tombstone in await DeleteAsync("k"))
                    {
                        outcomes.Add((tombstone.Version, null));
                    }
                }
            }
        })));

        var last = outcomes.MaxBy(outcome => outcome.Version);
        var item = Assert.Single(await GetAsync(["k"], includeDeleted: true));
        Assert.Equal((last.Version, last.Content), (item.Version, item.Content));
    }

    private static ConfigurationItem Item(
        string key, string content, string group = Group, string label = Label, Dictionary<string, string>? tags = null, Dictionary<string, string>? metadata = null) =>
        new(key, content, group, label, tags ?? [], metadata ?? []);

    private Task<IReadOnlyList<long>> SaveAsync(params ConfigurationItem[] items) => Store.SaveAsync(App, items, CancellationToken.None);

    private Task<IReadOnlyList<StoredConfigurationItem>> DeleteAsync(params string[] keys) => Store.DeleteAsync(App, Group, Label, keys, CancellationToken.None);

    private Task<IReadOnlyList<StoredConfigurationItem>> GetAsync(string[]? keys = null, bool includeDeleted = false) =>
        Store.GetAsync(App, Group, Label, keys ?? [], includeDeleted, CancellationToken.None);
}
