using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Dapr;
using Dapr.Client;
using Grpc.Core;

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>The Dapr .NET SDK's QueryStateAsync (QueryStateAlpha1) against the embedded in-memory store, as an app calls it.</summary>
public sealed class QueryStateTests : IAsyncLifetime
{
    private const string Store = "statestore";

    private TestSidecar? sidecar;
    private DaprClient? dapr;

    private DaprClient Dapr => dapr!;

    public async Task InitializeAsync()
    {
        sidecar = await TestSidecar.StartAsync("sdk-query");
        dapr = SdkClients.For(sidecar);
    }

    public async Task DisposeAsync()
    {
        dapr?.Dispose();
        if (sidecar is not null)
        {
            await sidecar.DisposeAsync();
        }
    }

    [Fact]
    public async Task QueryStateAsync_FilterSortAndToken_EveryMatchingOrderOncePageByPage()
    {
        foreach (var order in new[] { new Order("o-1", "Dev Ops", 5), new Order("o-2", "Dev Ops", 20), new Order("o-3", "Finance", 30), new Order("o-4", "Dev Ops", 40) })
        {
            await Dapr.SaveStateAsync(Store, order.Id, order);
        }

        const string Query = """{"filter": {"AND": [{"EQ": {"team": "Dev Ops"}}, {"GTE": {"quantity": 10}}]}, "sort": [{"key": "quantity", "order": "DESC"}], "page": {"limit": 1, "token": "TOKEN"}}""";

        var first = await Dapr.QueryStateAsync<Order>(Store, Query.Replace("TOKEN", "", StringComparison.Ordinal));
        var second = await Dapr.QueryStateAsync<Order>(Store, Query.Replace("TOKEN", first.Token, StringComparison.Ordinal));
        var (_, etag) = await Dapr.GetStateAndETagAsync<Order>(Store, "o-2");

        var top = Assert.Single(first.Results);
        Assert.Equal(("o-4", new Order("o-4", "Dev Ops", 40)), (top.Key, top.Data));
        Assert.False(string.IsNullOrEmpty(first.Token));
        var next = Assert.Single(second.Results);
        Assert.Equal(("o-2", etag), (next.Key, next.ETag));
        Assert.True(string.IsNullOrEmpty(second.Token));
    }

    [Fact]
    public async Task QueryStateAsync_MalformedQuery_DaprExceptionWithInvalidArgumentNamingWhatIsWrong()
    {
        var error = await Assert.ThrowsAsync<DaprException>(() => Dapr.QueryStateAsync<Order>(Store, """{"filter": {"LIKE": {"team": "Dev%"}}}"""));

        var rpc = Assert.IsType<RpcException>(error.InnerException);
        Assert.Equal(StatusCode.InvalidArgument, rpc.StatusCode);
        Assert.Equal("query filter names the operator 'LIKE'; the operators are EQ, NEQ, GT, GTE, LT, LTE, IN, AND or OR, in capitals.", rpc.Status.Detail);
    }

    private sealed record Order(string Id, string Team, int Quantity);
}
