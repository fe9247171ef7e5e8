using BusRuntime.Protos.V1;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.State;

/// <summary>busruntime.v1 QueryState against the embedded in-memory store; each test filters on its own run id.</summary>
public sealed class QueryStateApiTests(EmbeddedSidecar embedded) : IClassFixture<EmbeddedSidecar>
{
    private const string Store = "statestore";

    private Runtime.RuntimeClient Runtime => embedded.Sidecar.Runtime;

    [Fact]
    public async Task QueryState_FilterSortAndPages_TheAppsKeysValuesAndEtagsPageByPage()
    {
        var run = Guid.NewGuid().ToString("N");
        var keys = Enumerable.Range(1, 3).Select(index => EmbeddedSidecar.Key($"q{index}")).ToList();
        var save = new SaveStateRequest { StoreName = Store };
        save.States.AddRange(keys.Select((key, index) => new StateItem { Key = key, Value = ByteString.CopyFromUtf8($$$$"""{"run": "{{{{run}}}}", "person": {"id": {{{{index + 1}}}}}}""") }));
        save.States.Add(new StateItem { Key = EmbeddedSidecar.Key("other"), Value = ByteString.CopyFromUtf8("""{"run": "another"}""") });
        await Runtime.SaveStateAsync(save);
        var query = $$$$"""{"filter": {"EQ": {"run": "{{{{run}}}}"}}, "sort": [{"key": "person.id", "order": "DESC"}], "page": {"limit": 2, "token": "%TOKEN%"}}""";

        var first = await Runtime.QueryStateAsync(new QueryStateRequest { StoreName = Store, Query = query.Replace("%TOKEN%", "", StringComparison.Ordinal) });
        var second = await Runtime.QueryStateAsync(new QueryStateRequest { StoreName = Store, Query = query.Replace("%TOKEN%", first.Token, StringComparison.Ordinal) });

        Assert.Equal([keys[2], keys[1]], first.Results.Select(item => item.Key));
        Assert.Equal("2", first.Token);
        var last = Assert.Single(second.Results);
        Assert.Equal(keys[0], last.Key);
        Assert.Equal($$$$"""{"run": "{{{{run}}}}", "person": {"id": 1}}""", last.Data.ToStringUtf8());
        Assert.Equal((await Runtime.GetStateAsync(new GetStateRequest { StoreName = Store, Key = keys[0] })).Etag, last.Etag);
        Assert.Equal("", second.Token);
    }

    [Fact]
    public async Task QueryState_MalformedQuery_InvalidArgumentNamingWhatIsWrong()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Runtime.QueryStateAsync(new QueryStateRequest { StoreName = Store, Query = """{"filter": {"GT": {"person.id": "3"}}}""" }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("query filter.GT 'person.id' compares with a string; GT compares numbers only (EQ, NEQ and IN compare strings, true, false and null).", error.Status.Detail);
    }

    [Fact]
    public async Task QueryState_UnknownStore_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Runtime.QueryStateAsync(new QueryStateRequest { StoreName = "nope", Query = "{}" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }
}
