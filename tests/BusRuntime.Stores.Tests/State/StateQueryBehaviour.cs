using System.Text;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.State;
using BusRuntime.Core.State.Query;
using BusRuntime.Core.Stores;

namespace BusRuntime.Stores.Tests.State;

/// <summary>
/// What every store that queries answers (<see cref="StateQuery"/> defines it), whatever keeps the entries. Entries
/// are written as the state primitive writes them, with keys of the scope of app "shop"; results carry storage keys.
/// Strings compared or sorted here are lower-case ASCII, which every collation orders alike.
/// </summary>
public abstract class StateQueryBehaviour
{
    private const long NoByteLimit = long.MaxValue;

    private IQueryableStateStore? store;

    protected IQueryableStateStore Store => store ??= CreateStore("statestore");

    protected static KeyScope Shop { get; } = Scope("shop");

    /// <summary>A new store for the component <paramref name="name"/>, empty at the start of a test.</summary>
    protected abstract IQueryableStateStore CreateStore(string name);

    /// <summary>Lets <paramref name="duration"/> pass on the store's clock.</summary>
    protected abstract Task ElapseAsync(TimeSpan duration);

    protected static KeyScope Scope(string appId, string? keyPrefix = null)
    {
        var component = new ComponentOptions { Name = "statestore", Type = "state.test" };
        if (keyPrefix is not null)
        {
            component.Metadata[KeyScope.MetadataKey] = keyPrefix;
        }

        return KeyScope.For(component, appId);
    }

    [Fact]
    public async Task QueryAsync_NoFilter_EveryJsonValueOfTheScopeByKey()
    {
        await SaveAsync(Shop, ("b", """{"n": 2}"""), ("a", """{"n": 1}"""), ("c", "7"), ("bytes", "not json {"));

        var page = await QueryAsync("{}");

        Assert.Equal(["a", "b", "c"], AppKeys(page));
        Assert.Null(page.NextOffset);
    }

    [Fact]
    public async Task QueryAsync_Result_HasTheStorageKeyTheValueAndTheCurrentETag()
    {
        await SaveAsync(Shop, ("order", """{"n": 1}"""));
        var etags = await SaveAsync(Shop, ("order", """{"n": 2}"""));

        var item = Assert.Single((await QueryAsync("{}")).Items);

        Assert.Equal(Shop.ToStorageKey("order", "key"), item.Key);
        Assert.Equal("""{"n": 2}""", Encoding.UTF8.GetString(item.Entry.Value.Span));
        Assert.Equal(etags[0], item.Entry.ETag);
    }

    [Fact]
    public async Task QueryAsync_OtherAppsKeys_NeverReturned()
    {
        await SaveAsync(Shop, ("mine", """{"org": "a"}"""));
        await SaveAsync(Scope("billing"), ("theirs", """{"org": "a"}"""));
        await SaveAsync(Scope("shopper"), ("prefixed", """{"org": "a"}"""));

        var page = await QueryAsync("""{"filter": {"EQ": {"org": "a"}}}""");

        Assert.Equal(["mine"], AppKeys(page));
    }

    [Fact]
    public async Task QueryAsync_ScopeWithoutPrefix_OnlyKeysWithoutAScope()
    {
        var unscoped = Scope("shop", "none");
        await SaveAsync(unscoped, ("plain", """{"org": "a"}"""));
        await SaveAsync(Shop, ("scoped", """{"org": "a"}"""));

        var page = await Store.QueryAsync(StateQueryParser.Parse("{}"), unscoped, NoByteLimit, CancellationToken.None);

        Assert.Equal(["plain"], page.Items.Select(item => item.Key));
    }

    [Fact]
    public async Task QueryAsync_ExpiredEntry_Absent()
    {
        await SaveAsync(Shop, ("stays", """{"n": 1}"""));
        await Store.ApplyAsync([StateWrite.Upsert(Shop.ToStorageKey("goes", "key"), Encoding.UTF8.GetBytes("""{"n": 1}"""), StatePrecondition.None, StateExpiry.After(1))], CancellationToken.None);
        await ElapseAsync(TimeSpan.FromSeconds(2));

        var page = await QueryAsync("{}");

        Assert.Equal(["stays"], AppKeys(page));
    }

    [Theory]
    [InlineData("""{"EQ": {"person.org": "dev"}}""", "1,3")]
    [InlineData("""{"EQ": {"person.id": 1.0}}""", "1")]
    [InlineData("""{"EQ": {"person.vip": true}}""", "2")]
    [InlineData("""{"EQ": {"person.nick": null}}""", "3")]
    [InlineData("""{"EQ": {"person.id": "1"}}""", "")]
    [InlineData("""{"NEQ": {"person.org": "dev"}}""", "2,4")]
    [InlineData("""{"NEQ": {"person.nick": null}}""", "1")]
    [InlineData("""{"GT": {"person.id": 2}}""", "3,4")]
    [InlineData("""{"GTE": {"person.id": 2}}""", "2,3,4")]
    [InlineData("""{"LT": {"person.id": 2.5}}""", "1,2")]
    [InlineData("""{"LTE": {"person.id": 2}}""", "1,2")]
    [InlineData("""{"GT": {"person.id": -10}}""", "1,2,3,4")]
    [InlineData("""{"GT": {"age": 0}}""", "")]
    [InlineData("""{"IN": {"state": ["ca", "wa"]}}""", "1,2,4")]
    [InlineData("""{"IN": {"person.id": [3, 4, 5]}}""", "3,4")]
    [InlineData("""{"EQ": {"person": "dev"}}""", "")]
    [InlineData("""{"EQ": {"state.code": "ca"}}""", "")]
    [InlineData("""{"AND": [{"EQ": {"person.org": "dev"}}, {"IN": {"state": ["ca", "or"]}}]}""", "1,3")]
    [InlineData("""{"OR": [{"EQ": {"person.org": "ops"}}, {"GT": {"person.id": 3}}]}""", "2,4")]
    [InlineData("""{"AND": [{"EQ": {"person.org": "dev"}}, {"OR": [{"EQ": {"state": "wa"}}, {"LT": {"person.id": 2}}]}]}""", "1")]
    public async Task QueryAsync_Filter_MatchesAsStateQueryDefines(string filter, string expected)
    {
        await SeedPeopleAsync();

        var page = await QueryAsync($$"""{"filter": {{filter}}}""");

        Assert.Equal(expected.Length == 0 ? [] : expected.Split(','), AppKeys(page));
    }

    [Fact]
    public async Task QueryAsync_FilterOnAValueThatIsNotAnObject_NoMatch()
    {
        await SaveAsync(Shop, ("number", "5"), ("text", "\"dev\""), ("object", """{"org": "dev"}"""));

        var page = await QueryAsync("""{"filter": {"NEQ": {"org": "ops"}}}""");

        Assert.Equal(["object"], AppKeys(page));
    }

    [Fact]
    public async Task QueryAsync_SortAscendingAndDescending_ByValueThenKey()
    {
        await SeedPeopleAsync();

        var ascending = await QueryAsync("""{"sort": [{"key": "person.id"}]}""");
        var descending = await QueryAsync("""{"sort": [{"key": "person.id", "order": "DESC"}]}""");
        var twoKeys = await QueryAsync("""{"sort": [{"key": "person.org", "order": "DESC"}, {"key": "state"}]}""");

        Assert.Equal(["1", "2", "3", "4", "5"], AppKeys(ascending));
        Assert.Equal(["4", "3", "2", "1", "5"], AppKeys(descending));
        Assert.Equal(["4", "2", "1", "3", "5"], AppKeys(twoKeys));
    }

    [Fact]
    public async Task QueryAsync_SortKeyMissing_ComesLastEitherWay()
    {
        await SaveAsync(Shop, ("none", """{"other": 1}"""), ("low", """{"n": 1}"""), ("high", """{"n": 2}"""));

        var ascending = await QueryAsync("""{"sort": [{"key": "n", "order": "ASC"}]}""");
        var descending = await QueryAsync("""{"sort": [{"key": "n", "order": "DESC"}]}""");

        Assert.Equal(["low", "high", "none"], AppKeys(ascending));
        Assert.Equal(["high", "low", "none"], AppKeys(descending));
    }

    [Fact]
    public async Task QueryAsync_SortNumbers_ByValueNotText()
    {
        await SaveAsync(Shop, ("ten", """{"n": 10}"""), ("nine", """{"n": 9}"""), ("half", """{"n": 0.5}"""), ("minus", """{"n": -3}"""));

        var page = await QueryAsync("""{"sort": [{"key": "n"}]}""");

        Assert.Equal(["minus", "half", "nine", "ten"], AppKeys(page));
    }

    [Fact]
    public async Task QueryAsync_Pages_EveryResultOnceInOrderThenNoToken()
    {
        await SaveAsync(Shop, [.. Enumerable.Range(0, 7).Select(index => ($"k{index}", "{\"n\": " + index + "}"))]);

        var seen = new List<string>();
        var offsets = new List<int?>();
        var offset = 0;
        for (var round = 0; round < 10; round++)
        {
            var page = await QueryAsync("{\"sort\": [{\"key\": \"n\", \"order\": \"DESC\"}], \"page\": {\"limit\": 3, \"token\": \"" + offset + "\"}}");
            seen.AddRange(AppKeys(page));
            offsets.Add(page.NextOffset);
            if (page.NextOffset is not { } next)
            {
                break;
            }

            offset = next;
        }

        Assert.Equal(["k6", "k5", "k4", "k3", "k2", "k1", "k0"], seen);
        Assert.Equal([3, 6, null], offsets);
    }

    [Fact]
    public async Task QueryAsync_LastPageExactlyFull_NoToken()
    {
        await SaveAsync(Shop, ("a", "{}"), ("b", "{}"), ("c", "{}"), ("d", "{}"));

        var first = await QueryAsync("""{"page": {"limit": 2}}""");
        var last = await QueryAsync("""{"page": {"limit": 2, "token": "2"}}""");
        var beyond = await QueryAsync("""{"page": {"limit": 2, "token": "40"}}""");

        Assert.Equal(["a", "b"], AppKeys(first));
        Assert.Equal(2, first.NextOffset);
        Assert.Equal(["c", "d"], AppKeys(last));
        Assert.Null(last.NextOffset);
        Assert.Empty(beyond.Items);
        Assert.Null(beyond.NextOffset);
    }

    [Fact]
    public async Task QueryAsync_PagesFilteredResults_CountsOnlyMatches()
    {
        await SeedPeopleAsync();

        var first = await QueryAsync("""{"filter": {"EQ": {"person.org": "dev"}}, "page": {"limit": 1}}""");
        var second = await QueryAsync("""{"filter": {"EQ": {"person.org": "dev"}}, "page": {"limit": 1, "token": "1"}}""");

        Assert.Equal(["1"], AppKeys(first));
        Assert.Equal(1, first.NextOffset);
        Assert.Equal(["3"], AppKeys(second));
        Assert.Null(second.NextOffset);
    }

    [Fact]
    public async Task QueryAsync_PageOverTheByteLimit_EndsBeforeItWithAToken()
    {
        var value = $$"""{"text": "{{new string('x', 90)}}"}""";
        await SaveAsync(Shop, ("a", value), ("b", value), ("c", value));
        var size = Encoding.UTF8.GetByteCount(value);

        var twoFit = await Store.QueryAsync(StateQueryParser.Parse("{}"), Shop, (2 * size) + 1, CancellationToken.None);
        var noneFits = await Store.QueryAsync(StateQueryParser.Parse("{}"), Shop, 1, CancellationToken.None);

        Assert.Equal(["a", "b"], AppKeys(twoFit));
        Assert.Equal(2, twoFit.NextOffset);
        Assert.Equal(["a"], AppKeys(noneFits));
        Assert.Equal(1, noneFits.NextOffset);
    }

    /// <summary>Five people; 5 has no person at all.</summary>
    private async Task SeedPeopleAsync() => await SaveAsync(
        Shop,
        ("1", """{"person": {"org": "dev", "id": 1, "vip": false, "nick": "al"}, "state": "ca"}"""),
        ("2", """{"person": {"org": "ops", "id": 2, "vip": true}, "state": "wa"}"""),
        ("3", """{"person": {"org": "dev", "id": 3, "nick": null}, "state": "or"}"""),
        ("4", """{"person": {"org": "ops", "id": 4}, "state": "ca"}"""),
        ("5", """{"state": "ny"}"""));

    protected async Task<IReadOnlyList<long?>> SaveAsync(KeyScope scope, params (string Key, string Value)[] entries) =>
        await Store.ApplyAsync(
            [.. entries.Select(entry => StateWrite.Upsert(scope.ToStorageKey(entry.Key, "key"), Encoding.UTF8.GetBytes(entry.Value), StatePrecondition.None, StateExpiry.Keep))],
            CancellationToken.None);

    protected Task<StateQueryPage> QueryAsync(string query) =>
        Store.QueryAsync(StateQueryParser.Parse(query), Shop, NoByteLimit, CancellationToken.None);

    protected static List<string> AppKeys(StateQueryPage page) => [.. page.Items.Select(item => Shop.ToAppKey(item.Key))];
}
