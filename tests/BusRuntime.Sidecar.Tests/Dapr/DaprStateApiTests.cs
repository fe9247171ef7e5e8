using BusRuntime.Protos.Dapr.Common.V1;
using BusRuntime.Protos.Dapr.Runtime.V1;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Dapr;

/// <summary>Dapr's state rpcs mapped onto the state primitive: answers, etags and every bad input.</summary>
public sealed class DaprStateApiTests(DaprSidecar fixture) : IClassFixture<DaprSidecar>
{
    private const string Store = "statestore";

    private Protos.Dapr.Runtime.V1.Dapr.DaprClient Dapr => fixture.Client;

    [Fact]
    public async Task GetState_MissingKey_EmptyDataAndEtag()
    {
        var response = await Dapr.GetStateAsync(new GetStateRequest { StoreName = Store, Key = DaprSidecar.Key("missing") });

        Assert.True(response.Data.IsEmpty);
        Assert.Equal("", response.Etag);
    }

    [Fact]
    public async Task SaveState_ThenGetStateAndGetBulkState_SameBytesAndEtagEveryKeyInOrder()
    {
        var (first, second, missing) = (DaprSidecar.Key("a"), DaprSidecar.Key("b"), DaprSidecar.Key("none"));
        await Dapr.SaveStateAsync(new SaveStateRequest
        {
            StoreName = Store,
            States = { Item(first, "1"), Item(second, "2", metadata: new() { ["ttlInSeconds"] = "600" }) },
        });

        var one = await Dapr.GetStateAsync(new GetStateRequest { StoreName = Store, Key = second });
        var bulk = await Dapr.GetBulkStateAsync(new GetBulkStateRequest { StoreName = Store, Keys = { missing, first, second }, Parallelism = 4 });

        Assert.Equal("2", one.Data.ToStringUtf8());
        Assert.NotEmpty(one.Etag);
        Assert.True(one.Metadata.ContainsKey("ttlExpireTime"));
        Assert.Equal([missing, first, second], bulk.Items.Select(item => item.Key));
        Assert.Equal(["", "1", "2"], bulk.Items.Select(item => item.Data.ToStringUtf8()));
        Assert.Equal(one.Etag, bulk.Items[2].Etag);
        Assert.Equal("", bulk.Items[0].Etag);
    }

    [Fact]
    public async Task SaveState_OneStaleEtag_AbortedNamingTheItemAndNothingSaved()
    {
        var (fresh, guarded) = (DaprSidecar.Key("fresh"), DaprSidecar.Key("guarded"));
        await Dapr.SaveStateAsync(new SaveStateRequest { StoreName = Store, States = { Item(guarded, "v1") } });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Dapr.SaveStateAsync(new SaveStateRequest
        {
            StoreName = Store,
            States = { Item(fresh, "x"), Item(guarded, "v2", etag: "12345") },
        }));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Contains("states[1]", error.Status.Detail, StringComparison.Ordinal);
        Assert.True((await Dapr.GetStateAsync(new GetStateRequest { StoreName = Store, Key = fresh })).Data.IsEmpty);
    }

    [Fact]
    public async Task SaveState_FirstWriteWithoutEtagOnExistingKey_Aborted()
    {
        var key = DaprSidecar.Key("first-write");
        await Dapr.SaveStateAsync(new SaveStateRequest { StoreName = Store, States = { Item(key, "v1") } });
        var firstWrite = Item(key, "v2");
        firstWrite.Options = new StateOptions { Concurrency = StateOptions.Types.StateConcurrency.ConcurrencyFirstWrite };

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Dapr.SaveStateAsync(new SaveStateRequest { StoreName = Store, States = { firstWrite } }));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
    }

    [Fact]
    public async Task DeleteState_StaleEtagThenCurrentOne_AbortedThenDeleted()
    {
        var key = DaprSidecar.Key("delete");
        await Dapr.SaveStateAsync(new SaveStateRequest { StoreName = Store, States = { Item(key, "v1") } });
        var etag = (await Dapr.GetStateAsync(new GetStateRequest { StoreName = Store, Key = key })).Etag;

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Dapr.DeleteStateAsync(new DeleteStateRequest { StoreName = Store, Key = key, Etag = new Etag { Value = etag + "0" } }));
        await Dapr.DeleteStateAsync(new DeleteStateRequest { StoreName = Store, Key = key, Etag = new Etag { Value = etag } });

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.True((await Dapr.GetStateAsync(new GetStateRequest { StoreName = Store, Key = key })).Data.IsEmpty);
    }

    [Fact]
    public async Task DeleteBulkState_Keys_AllDeleted()
    {
        var (first, second) = (DaprSidecar.Key("a"), DaprSidecar.Key("b"));
        await Dapr.SaveStateAsync(new SaveStateRequest { StoreName = Store, States = { Item(first, "1"), Item(second, "2") } });

        await Dapr.DeleteBulkStateAsync(new DeleteBulkStateRequest { StoreName = Store, States = { new StateItem { Key = first }, new StateItem { Key = second } } });

        var bulk = await Dapr.GetBulkStateAsync(new GetBulkStateRequest { StoreName = Store, Keys = { first, second } });
        Assert.All(bulk.Items, item => Assert.True(item.Data.IsEmpty));
    }

    [Fact]
    public async Task ExecuteStateTransaction_UpsertAndDeleteWithRequestMetadata_AppliedInOrder()
    {
        var (kept, removed) = (DaprSidecar.Key("kept"), DaprSidecar.Key("removed"));
        await Dapr.SaveStateAsync(new SaveStateRequest { StoreName = Store, States = { Item(removed, "old") } });

        await Dapr.ExecuteStateTransactionAsync(new ExecuteStateTransactionRequest
        {
            StoreName = Store,
            Operations =
            {
                new TransactionalStateOperation { OperationType = "upsert", Request = Item(kept, "new") },
                new TransactionalStateOperation { OperationType = "delete", Request = new StateItem { Key = removed } },
            },
            Metadata = { ["ttlInSeconds"] = "600" },
        });

        var keptNow = await Dapr.GetStateAsync(new GetStateRequest { StoreName = Store, Key = kept });
        Assert.Equal("new", keptNow.Data.ToStringUtf8());
        Assert.True(keptNow.Metadata.ContainsKey("ttlExpireTime"));
        Assert.True((await Dapr.GetStateAsync(new GetStateRequest { StoreName = Store, Key = removed })).Data.IsEmpty);
    }

    [Theory]
    [InlineData("merge", true, "operations[0].operationType 'merge' is not one of: upsert, delete.")]
    [InlineData("upsert", false, "operations[0].request is missing")]
    public async Task ExecuteStateTransaction_BadOperation_InvalidArgumentNamingIt(string operationType, bool withRequest, string message)
    {
        var operation = new TransactionalStateOperation { OperationType = operationType, Request = withRequest ? Item(DaprSidecar.Key("tx"), "v") : null };

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Dapr.ExecuteStateTransactionAsync(new ExecuteStateTransactionRequest { StoreName = Store, Operations = { operation } }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "k", StatusCode.InvalidArgument, "store_name is empty")]
    [InlineData("redis", "k", StatusCode.InvalidArgument, "store_name 'redis' is not a configured state store")]
    [InlineData(Store, "", StatusCode.InvalidArgument, "key")]
    public async Task GetState_BadInput_PreciseStatus(string storeName, string key, StatusCode code, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Dapr.GetStateAsync(new GetStateRequest { StoreName = storeName, Key = key }));

        Assert.Equal(code, error.StatusCode);
        Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveState_ValueOverTheMaximum_InvalidArgumentNamingTheLimit()
    {
        var item = new StateItem { Key = DaprSidecar.Key("big"), Value = ByteString.CopyFrom(new byte[1025]) };

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Dapr.SaveStateAsync(new SaveStateRequest { StoreName = Store, States = { item } }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("states[0].value is 1025 bytes", error.Status.Detail, StringComparison.Ordinal);
    }

    private static StateItem Item(string key, string value, string? etag = null, Dictionary<string, string>? metadata = null)
    {
        var item = new StateItem { Key = key, Value = ByteString.CopyFromUtf8(value) };
        if (etag is not null)
        {
            item.Etag = new Etag { Value = etag };
        }

        foreach (var (name, entry) in metadata ?? [])
        {
            item.Metadata[name] = entry;
        }

        return item;
    }
}
