using System.Text;
using BusRuntime.Core.Errors;
using BusRuntime.Core.State;

namespace BusRuntime.Stores.Tests.State;

[Collection(PostgresCollection.Name)]
public sealed class PostgresStateQueryTests(PostgresFixture postgres) : StateQueryBehaviour, IAsyncLifetime
{
    private readonly PostgresSidecar sidecar = postgres.StartSidecar();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await sidecar.DisposeAsync();

    protected override IQueryableStateStore CreateStore(string name) => Assert.IsAssignableFrom<IQueryableStateStore>(sidecar.State(name));

    protected override Task ElapseAsync(TimeSpan duration) => postgres.ElapseAsync(duration);

    [Fact]
    public async Task QueryAsync_MixedKindsOfASortKey_OrderedAsJsonb()
    {
        await SaveAsync(Shop, ("object", """{"v": {}}"""), ("array", """{"v": []}"""), ("true", """{"v": true}"""), ("false", """{"v": false}"""),
            ("number", """{"v": 1}"""), ("string", """{"v": "a"}"""), ("null", """{"v": null}"""));

        var ascending = await QueryAsync("""{"sort": [{"key": "v"}]}""");
        var descending = await QueryAsync("""{"sort": [{"key": "v", "order": "DESC"}]}""");

        Assert.Equal(["null", "string", "number", "false", "true", "array", "object"], AppKeys(ascending));
        Assert.Equal(["object", "array", "true", "false", "number", "string", "null"], AppKeys(descending));
    }

    [Fact]
    public async Task QueryAsync_StringsSortByCodePoint_NotByCulture()
    {
        await SaveAsync(Shop, ("lower", """{"v": "a"}"""), ("upper", """{"v": "B"}"""), ("accent", """{"v": "é"}"""), ("emoji", """{"v": "😀"}"""), ("private", """{"v": "\uE000"}"""));

        var page = await QueryAsync("""{"sort": [{"key": "v"}]}""");

        Assert.Equal(["upper", "lower", "accent", "private", "emoji"], AppKeys(page));
    }

    [Fact]
    public async Task QueryAsync_KeyThroughAnArray_MatchesNothing()
    {
        await SaveAsync(Shop, ("array", """{"list": [5, {"id": 1}], "n": 1}"""), ("object", """{"list": {"0": 5, "1": {"id": 1}}, "n": 1}"""));

        var byIndex = await QueryAsync("""{"filter": {"EQ": {"list.0": 5}}}""");
        var throughElement = await QueryAsync("""{"filter": {"EQ": {"list.1.id": 1}}}""");
        var neq = await QueryAsync("""{"filter": {"NEQ": {"list.0": 6}}}""");

        Assert.Equal(["object"], AppKeys(byIndex));
        Assert.Equal(["object"], AppKeys(throughElement));
        Assert.Equal(["object"], AppKeys(neq));
    }

    [Fact]
    public async Task QueryAsync_KeysAndValuesWithQuotesAndSql_ComparedAsText()
    {
        const string Tricky = "it's'); DROP TABLE mt_doc_state; --";
        await SaveAsync(Shop, ("match", $$$"""{"{{{Tricky}}}": {"x\"y": "{{{Tricky}}}"}}"""), ("other", """{"n": 1}"""));

        var page = await QueryAsync($$$"""{"filter": {"EQ": {"{{{Tricky}}}.x\"y": "{{{Tricky}}}"}}, "sort": [{"key": "{{{Tricky}}}.x\"y"}]}""");
        var all = await QueryAsync("{}");

        Assert.Equal(["match"], AppKeys(page));
        Assert.Equal(["match", "other"], AppKeys(all));
    }

    [Fact]
    public async Task QueryAsync_ValueTheJsonNull_ReturnedExactlyAsSaved()
    {
        await SaveAsync(Shop, ("null", "null"), ("spaced", """{ "b" : 1,   "a" : [ 1 , 2 ] }"""));

        var page = await QueryAsync("{}");

        Assert.Equal(["null", "spaced"], AppKeys(page));
        Assert.Equal(["null", """{ "b" : 1,   "a" : [ 1 , 2 ] }"""], page.Items.Select(item => Encoding.UTF8.GetString(item.Entry.Value.Span)));
    }

    [Fact]
    public async Task QueryAsync_OtherComponentsEntries_NeverReturned()
    {
        await SaveAsync(Shop, ("mine", """{"n": 1}"""));
        var other = sidecar.State("otherstore");
        await other.ApplyAsync([StateWrite.Upsert(Shop.ToStorageKey("theirs", "key"), Encoding.UTF8.GetBytes("""{"n": 1}"""), StatePrecondition.None, StateExpiry.Keep)], CancellationToken.None);

        var page = await QueryAsync("""{"filter": {"EQ": {"n": 1}}}""");

        Assert.Equal(["mine"], AppKeys(page));
    }

    [Fact]
    public async Task QueryAsync_LargeNumbersAndExponents_ComparedByValue()
    {
        await SaveAsync(Shop, ("big", """{"n": 1e20}"""), ("exact", """{"n": 100000000000000000001}"""), ("small", """{"n": 2.5E-3}"""));

        var greater = await QueryAsync("""{"filter": {"GT": {"n": 100000000000000000000}}, "sort": [{"key": "n", "order": "DESC"}]}""");
        var equal = await QueryAsync("""{"filter": {"EQ": {"n": 0.0025}}}""");

        Assert.Equal(["exact"], AppKeys(greater));
        Assert.Equal(["small"], AppKeys(equal));
    }

    [Fact]
    public async Task QueryAsync_SchemaDroppedUnderTheSidecar_UnavailableThenCreatedAgain()
    {
        await SaveAsync(Shop, ("k", """{"n": 1}"""));
        await using (var drop = postgres.Admin.CreateCommand($"DROP SCHEMA \"{sidecar.Schema}\" CASCADE"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        var missing = await Assert.ThrowsAsync<RuntimeException>(() => QueryAsync("{}"));
        var page = await QueryAsync("{}");

        Assert.Equal(ErrorCode.Unavailable, missing.Code);
        Assert.Empty(page.Items);
    }
}
