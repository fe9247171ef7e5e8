using BusRuntime.Protos.Layotto.Runtime.V1;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Layotto;

/// <summary>Layotto's state rpcs, from a client generated from Layotto's protos, against the embedded default "statestore".</summary>
public sealed class LayottoStateApiTests(LayottoSidecar fixture) : IClassFixture<LayottoSidecar>
{
    private const string Store = "statestore";

    private Runtime.RuntimeClient Layotto => fixture.Client;

    [Fact]
    public async Task SaveStateThenGetState_Value_ReadBackWithAnEtag()
    {
        var key = LayottoSidecar.Key("s");

        await Layotto.SaveStateAsync(new SaveStateRequest { StoreName = Store, States = { Item(key, "v1") } });
        var read = await Layotto.GetStateAsync(new GetStateRequest { StoreName = Store, Key = key });

        Assert.Equal("v1", read.Data.ToStringUtf8());
        Assert.NotEmpty(read.Etag);
    }

    [Fact]
    public async Task SaveState_StaleEtagFirstWrite_AbortedAsLayottoAnswers()
    {
        var key = LayottoSidecar.Key("etag");
        await Layotto.SaveStateAsync(new SaveStateRequest { StoreName = Store, States = { Item(key, "v1") } });
        var etag = (await Layotto.GetStateAsync(new GetStateRequest { StoreName = Store, Key = key })).Etag;
        await Layotto.SaveStateAsync(new SaveStateRequest { StoreName = Store, States = { Item(key, "v2") } });

        var stale = Item(key, "v3");
        stale.Etag = new Etag { Value = etag };
        stale.Options = new StateOptions { Concurrency = StateOptions.Types.StateConcurrency.ConcurrencyFirstWrite };
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Layotto.SaveStateAsync(new SaveStateRequest { StoreName = Store, States = { stale } }));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal("v2", (await Layotto.GetStateAsync(new GetStateRequest { StoreName = Store, Key = key })).Data.ToStringUtf8());
    }

    [Fact]
    public async Task GetBulkStateDeleteStateDeleteBulkState_ThreeKeys_EachReadThenGone()
    {
        var keys = new[] { LayottoSidecar.Key("a"), LayottoSidecar.Key("b"), LayottoSidecar.Key("c") };
        await Layotto.SaveStateAsync(new SaveStateRequest { StoreName = Store, States = { keys.Select((key, index) => Item(key, $"v{index}")) } });

        var bulk = await Layotto.GetBulkStateAsync(new GetBulkStateRequest { StoreName = Store, Keys = { keys } });
        await Layotto.DeleteStateAsync(new DeleteStateRequest { StoreName = Store, Key = keys[0] });
        await Layotto.DeleteBulkStateAsync(new DeleteBulkStateRequest { StoreName = Store, States = { new StateItem { Key = keys[1] }, new StateItem { Key = keys[2] } } });
        var after = await Layotto.GetBulkStateAsync(new GetBulkStateRequest { StoreName = Store, Keys = { keys } });

        Assert.Equal(["v0", "v1", "v2"], keys.Select(key => bulk.Items.Single(item => item.Key == key).Data.ToStringUtf8()));
        Assert.All(after.Items, item => Assert.True(item.Data.IsEmpty, item.Key));
    }

    [Fact]
    public async Task ExecuteStateTransaction_UpsertAndDelete_BothApplied()
    {
        var kept = LayottoSidecar.Key("kept");
        var dropped = LayottoSidecar.Key("dropped");
        await Layotto.SaveStateAsync(new SaveStateRequest { StoreName = Store, States = { Item(dropped, "old") } });

        await Layotto.ExecuteStateTransactionAsync(new ExecuteStateTransactionRequest
        {
            StoreName = Store,
            Operations =
            {
                new TransactionalStateOperation { OperationType = "upsert", Request = Item(kept, "new") },
                new TransactionalStateOperation { OperationType = "delete", Request = new StateItem { Key = dropped } },
            },
        });

        Assert.Equal("new", (await Layotto.GetStateAsync(new GetStateRequest { StoreName = Store, Key = kept })).Data.ToStringUtf8());
        Assert.True((await Layotto.GetStateAsync(new GetStateRequest { StoreName = Store, Key = dropped })).Data.IsEmpty);
    }

    [Fact]
    public async Task ExecuteStateTransaction_UnknownOperationType_InvalidArgumentNamingIt()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Layotto.ExecuteStateTransactionAsync(new ExecuteStateTransactionRequest
        {
            StoreName = Store,
            Operations = { new TransactionalStateOperation { OperationType = "merge", Request = Item("k", "v") } },
        }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("operations[0].operationType 'merge'", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetState_UnknownStore_InvalidArgumentAsLayottoAnswers()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Layotto.GetStateAsync(new GetStateRequest { StoreName = "redis", Key = "k" }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("redis", error.Status.Detail, StringComparison.Ordinal);
    }

    private static StateItem Item(string key, string value) => new() { Key = key, Value = ByteString.CopyFromUtf8(value) };
}
