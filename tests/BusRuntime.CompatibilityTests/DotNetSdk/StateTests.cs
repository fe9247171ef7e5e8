using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Dapr;
using Dapr.Client;
using Grpc.Core;

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>The Dapr .NET SDK's state API against a sidecar on its embedded default, as an app calls it.</summary>
public sealed class StateTests : IAsyncLifetime
{
    private const string Store = "statestore";

    private TestSidecar? sidecar;
    private DaprClient? dapr;

    private DaprClient Dapr => dapr!;

    public async Task InitializeAsync()
    {
        sidecar = await TestSidecar.StartAsync("sdk-state");
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

    private static string Key(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public async Task SaveGetDelete_Object_RoundTripsAndIsGoneAfterDelete()
    {
        var key = Key("order");

        await Dapr.SaveStateAsync(Store, key, new Order("o-1", 42));
        var read = await Dapr.GetStateAsync<Order>(Store, key);
        await Dapr.DeleteStateAsync(Store, key);
        var afterDelete = await Dapr.GetStateAsync<Order>(Store, key);

        Assert.Equal(new Order("o-1", 42), read);
        Assert.Null(afterDelete);
    }

    [Fact]
    public async Task GetStateAndETag_ThenTrySaveWithIt_SucceedsAndChangesTheETag()
    {
        var key = Key("etag");
        await Dapr.SaveStateAsync(Store, key, new Order("o-1", 1));

        var (value, etag) = await Dapr.GetStateAndETagAsync<Order>(Store, key);
        var saved = await Dapr.TrySaveStateAsync(Store, key, value with { Quantity = 2 }, etag);
        var (after, newEtag) = await Dapr.GetStateAndETagAsync<Order>(Store, key);

        Assert.True(saved);
        Assert.Equal(2, after.Quantity);
        Assert.False(string.IsNullOrEmpty(etag));
        Assert.NotEqual(etag, newEtag);
    }

    [Fact]
    public async Task TrySaveState_StaleETag_ReturnsFalseAndKeepsTheNewerValue()
    {
        var key = Key("stale");
        await Dapr.SaveStateAsync(Store, key, new Order("o-1", 1));
        var (_, staleEtag) = await Dapr.GetStateAndETagAsync<Order>(Store, key);
        await Dapr.SaveStateAsync(Store, key, new Order("o-1", 2));

        var saved = await Dapr.TrySaveStateAsync(Store, key, new Order("o-1", 3), staleEtag);

        Assert.False(saved);
        Assert.Equal(2, (await Dapr.GetStateAsync<Order>(Store, key)).Quantity);
    }

    [Fact]
    public async Task TryDeleteState_StaleETagThenCurrentOne_FalseThenTrue()
    {
        var key = Key("delete");
        await Dapr.SaveStateAsync(Store, key, new Order("o-1", 1));
        var (_, staleEtag) = await Dapr.GetStateAndETagAsync<Order>(Store, key);
        await Dapr.SaveStateAsync(Store, key, new Order("o-1", 2));
        var (_, currentEtag) = await Dapr.GetStateAndETagAsync<Order>(Store, key);

        var staleDeleted = await Dapr.TryDeleteStateAsync(Store, key, staleEtag);
        var stillThere = await Dapr.GetStateAsync<Order>(Store, key);
        var deleted = await Dapr.TryDeleteStateAsync(Store, key, currentEtag);

        Assert.False(staleDeleted);
        Assert.NotNull(stillThere);
        Assert.True(deleted);
        Assert.Null(await Dapr.GetStateAsync<Order>(Store, key));
    }

    [Fact]
    public async Task BulkState_SaveGetDelete_EveryKeyAnsweredMissingOnesEmpty()
    {
        var (first, second, missing) = (Key("bulk"), Key("bulk"), Key("bulk"));
        await Dapr.SaveBulkStateAsync(Store, new List<SaveStateItem<Order>>
        {
            new(first, new Order("a", 1), null!),
            new(second, new Order("b", 2), null!),
        });

        var items = await Dapr.GetBulkStateAsync<Order>(Store, [first, second, missing], parallelism: 2);
        var etags = items.Where(item => item.Key != missing).ToDictionary(item => item.Key, item => item.ETag);
        await Dapr.DeleteBulkStateAsync(Store, [new BulkDeleteStateItem(first, etags[first]), new BulkDeleteStateItem(second, null!)]);
        var afterDelete = await Dapr.GetBulkStateAsync(Store, [first, second], parallelism: 1);

        Assert.Equal(new Order("a", 1), items.Single(item => item.Key == first).Value);
        Assert.Equal(new Order("b", 2), items.Single(item => item.Key == second).Value);
        Assert.True(string.IsNullOrEmpty(items.Single(item => item.Key == missing).ETag));
        Assert.All(afterDelete, item => Assert.True(string.IsNullOrEmpty(item.Value)));
    }

    [Fact]
    public async Task ExecuteStateTransaction_UpsertsAndDelete_AllApplied()
    {
        var (kept, added, removed) = (Key("tx"), Key("tx"), Key("tx"));
        await Dapr.SaveStateAsync(Store, removed, new Order("r", 1));

        await Dapr.ExecuteStateTransactionAsync(Store,
        [
            new StateTransactionRequest(kept, "{\"id\":\"k\",\"quantity\":1}"u8.ToArray(), StateOperationType.Upsert),
            new StateTransactionRequest(added, "{\"id\":\"a\",\"quantity\":2}"u8.ToArray(), StateOperationType.Upsert),
            new StateTransactionRequest(removed, null, StateOperationType.Delete),
        ]);

        Assert.Equal(new Order("k", 1), await Dapr.GetStateAsync<Order>(Store, kept));
        Assert.Equal(new Order("a", 2), await Dapr.GetStateAsync<Order>(Store, added));
        Assert.Null(await Dapr.GetStateAsync<Order>(Store, removed));
    }

    [Fact]
    public async Task ExecuteStateTransaction_StaleETag_NothingAppliedAndAborted()
    {
        var (untouched, guarded) = (Key("tx"), Key("tx"));
        await Dapr.SaveStateAsync(Store, guarded, new Order("g", 1));

        var error = await Assert.ThrowsAsync<DaprException>(() => Dapr.ExecuteStateTransactionAsync(Store,
        [
            new StateTransactionRequest(untouched, "{\"id\":\"u\",\"quantity\":1}"u8.ToArray(), StateOperationType.Upsert),
            new StateTransactionRequest(guarded, "{\"id\":\"g\",\"quantity\":2}"u8.ToArray(), StateOperationType.Upsert, etag: "999999"),
        ]));

        Assert.Equal(StatusCode.Aborted, Assert.IsType<RpcException>(error.InnerException).StatusCode);
        Assert.Null(await Dapr.GetStateAsync<Order>(Store, untouched));
        Assert.Equal(1, (await Dapr.GetStateAsync<Order>(Store, guarded)).Quantity);
    }

    [Fact]
    public async Task GetState_UnknownStore_DaprExceptionNamingTheStore()
    {
        var error = await Assert.ThrowsAsync<DaprException>(() => Dapr.GetStateAsync<Order>("no-such-store", Key("k")));

        var rpc = Assert.IsType<RpcException>(error.InnerException);
        Assert.Equal(StatusCode.InvalidArgument, rpc.StatusCode);
        Assert.Contains("no-such-store", rpc.Status.Detail, StringComparison.Ordinal);
    }

    private sealed record Order(string Id, int Quantity);
}
