using BusRuntime.Protos.Dapr.Common.V1;
using BusRuntime.Protos.Dapr.Runtime.V1;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Dapr;

/// <summary>Dapr's QueryStateAlpha1 on the state primitive: results, token and the answers Dapr's clients expect.</summary>
public sealed class DaprQueryStateApiTests(DaprSidecar fixture) : IClassFixture<DaprSidecar>
{
    private const string Store = "statestore";

    private Protos.Dapr.Runtime.V1.Dapr.DaprClient Dapr => fixture.Client;

    [Fact]
    public async Task QueryStateAlpha1_InFilter_MatchingKeysWithDataAndEtag()
    {
        var run = Guid.NewGuid().ToString("N");
        var (ca, wa, ny) = (DaprSidecar.Key("ca"), DaprSidecar.Key("wa"), DaprSidecar.Key("ny"));
        await Dapr.SaveStateAsync(new SaveStateRequest
        {
            StoreName = Store,
            States =
            {
                new StateItem { Key = ca, Value = ByteString.CopyFromUtf8($$$$"""{"run": "{{{{run}}}}", "state": "CA"}""") },
                new StateItem { Key = wa, Value = ByteString.CopyFromUtf8($$$$"""{"run": "{{{{run}}}}", "state": "WA"}""") },
                new StateItem { Key = ny, Value = ByteString.CopyFromUtf8($$$$"""{"run": "{{{{run}}}}", "state": "NY"}""") },
            },
        });

        var response = await Dapr.QueryStateAlpha1Async(new QueryStateRequest
        {
            StoreName = Store,
            Query = $$$$"""{"filter": {"AND": [{"EQ": {"run": "{{{{run}}}}"}}, {"IN": {"state": ["CA", "WA"]}}]}, "sort": [{"key": "state"}]}""",
        });

        Assert.Equal([ca, wa], response.Results.Select(item => item.Key));
        Assert.Equal($$$$"""{"run": "{{{{run}}}}", "state": "CA"}""", response.Results[0].Data.ToStringUtf8());
        Assert.Equal((await Dapr.GetStateAsync(new GetStateRequest { StoreName = Store, Key = wa })).Etag, response.Results[1].Etag);
        Assert.All(response.Results, item => Assert.Equal("", item.Error));
        Assert.Equal("", response.Token);
    }

    [Fact]
    public async Task QueryStateAlpha1_MalformedQuery_InvalidArgumentNamingWhatIsWrong()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Dapr.QueryStateAlpha1Async(new QueryStateRequest { StoreName = Store, Query = """{"filter": {"OR": [{"EQ": {"a": 1}}]}}""" }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("query filter.OR has 1 filter; OR takes at least two (a single filter needs no OR).", error.Status.Detail);
    }

    [Fact]
    public async Task QueryStateAlpha1_UnknownStore_InvalidArgumentAsDapr()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Dapr.QueryStateAlpha1Async(new QueryStateRequest { StoreName = "nope", Query = "{}" }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("store_name 'nope' is not a configured state store", error.Status.Detail, StringComparison.Ordinal);
    }
}
