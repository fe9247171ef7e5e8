using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Dapr;
using Dapr.Client;
using Grpc.Core;

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>
/// One Dapr .NET SDK app, unchanged, against sidecars whose state store is in memory, on PostgreSQL and on
/// Redis: the sidecars differ only in the environment variables that declare the component, and the app
/// sees the same answers from each.
/// </summary>
public sealed class StateBackendsTests(StateBackendsFixture servers) : IClassFixture<StateBackendsFixture>
{
    private const string Store = "statestore";

    public static TheoryData<string> Backends => ["state.in-memory", "state.postgresql", "state.redis"];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task OrderApp_OnEachBackend_SeesTheSameAnswers(string type)
    {
        var appId = servers.Redis.NewKeyspace();
        await using var sidecar = await TestSidecar.StartAsync(appId, FromEnvironment(ComponentEnvironment(type)));
        using var dapr = SdkClients.For(sidecar);

        var answers = await RunOrderAppAsync(dapr);

        Assert.Equal(
            new Answers(
                Read: new Order("o-1", 1),
                SavedWithETag: true,
                SavedWithStaleETag: false,
                FirstWriteOnExisting: StatusCode.Aborted,
                AfterTransaction: [new Order("o-1", 3), new Order("o-2", 1), null],
                StaleTransaction: StatusCode.Aborted,
                AfterStaleTransaction: new Order("o-1", 3),
                ExpiredAfterTtl: true,
                DeletedWithETag: true,
                AfterDelete: null),
            answers);
    }

    /// <summary>What an operator sets to put the state store on <paramref name="type"/>; nothing else differs.</summary>
    private string[] ComponentEnvironment(string type) => type switch
    {
        "state.postgresql" =>
        [
            "BusRuntime__Components__0__Name=statestore",
            "BusRuntime__Components__0__Type=state.postgresql",
            $"BusRuntime__Components__0__Metadata__connectionString={PostgresServer.ConnectionString}",
            $"BusRuntime__Components__0__Metadata__schema={Postgres.NewSchema()}",
        ],
        "state.redis" =>
        [
            "BusRuntime__Components__0__Name=statestore",
            "BusRuntime__Components__0__Type=state.redis",
            $"BusRuntime__Components__0__Metadata__redisHost={RedisServer.HostAndPort}",
        ],
        _ => [],
    };

    private PostgresServer Postgres => servers.Postgres;

    // The sidecar reads BusRuntime__A__B as BusRuntime:A:B, as the host's environment-variable provider does.
    private static Dictionary<string, string?> FromEnvironment(string[] variables) =>
        variables.Select(variable => variable.Split('=', 2)).ToDictionary(pair => pair[0].Replace("__", ":", StringComparison.Ordinal), pair => (string?)pair[1], StringComparer.Ordinal);

    /// <summary>The app: an order saved, updated with its etag, guarded by first-write, changed in transactions, kept with a TTL, deleted with its etag.</summary>
    private static async Task<Answers> RunOrderAppAsync(DaprClient dapr)
    {
        await dapr.SaveStateAsync(Store, "order-1", new Order("o-1", 1));
        var (read, etag) = await dapr.GetStateAndETagAsync<Order>(Store, "order-1");
        var savedWithETag = await dapr.TrySaveStateAsync(Store, "order-1", read with { Quantity = 2 }, etag);
        var savedWithStaleETag = await dapr.TrySaveStateAsync(Store, "order-1", read with { Quantity = 9 }, etag);
        var firstWrite = await Assert.ThrowsAsync<DaprException>(() => dapr.SaveStateAsync(
            Store, "order-1", new Order("o-1", 9), new StateOptions { Concurrency = ConcurrencyMode.FirstWrite }));

        await dapr.SaveStateAsync(Store, "order-3", new Order("o-3", 1));
        await dapr.ExecuteStateTransactionAsync(Store,
        [
            new StateTransactionRequest("order-1", "{\"id\":\"o-1\",\"quantity\":3}"u8.ToArray(), StateOperationType.Upsert),
            new StateTransactionRequest("order-2", "{\"id\":\"o-2\",\"quantity\":1}"u8.ToArray(), StateOperationType.Upsert),
            new StateTransactionRequest("order-3", null, StateOperationType.Delete),
        ]);
        var afterTransaction = await dapr.GetBulkStateAsync<Order>(Store, ["order-1", "order-2", "order-3"], parallelism: 1);
        var staleTransaction = await Assert.ThrowsAsync<DaprException>(() => dapr.ExecuteStateTransactionAsync(Store,
        [
            new StateTransactionRequest("order-1", "{\"id\":\"o-1\",\"quantity\":4}"u8.ToArray(), StateOperationType.Upsert),
            new StateTransactionRequest("order-2", null, StateOperationType.Delete, etag: etag),
        ]));

        await dapr.SaveStateAsync(Store, "cart", new Order("c-1", 1), metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "1" });
        var expired = false;
        await Poll.UntilAsync(async () => expired = await dapr.GetStateAsync<Order?>(Store, "cart") is null, TimeSpan.FromSeconds(10), () => "the entry with a TTL of 1 s was still there");

        var (_, orderTwoETag) = await dapr.GetStateAndETagAsync<Order>(Store, "order-2");
        var deletedWithETag = await dapr.TryDeleteStateAsync(Store, "order-2", orderTwoETag);

        return new Answers(
            read,
            savedWithETag,
            savedWithStaleETag,
            Assert.IsType<RpcException>(firstWrite.InnerException).StatusCode,
            [.. new[] { "order-1", "order-2", "order-3" }.Select(key => (Order?)afterTransaction.Single(item => item.Key == key).Value)],
            Assert.IsType<RpcException>(staleTransaction.InnerException).StatusCode,
            await dapr.GetStateAsync<Order>(Store, "order-1"),
            expired,
            deletedWithETag,
            await dapr.GetStateAsync<Order?>(Store, "order-2"));
    }

    private sealed record Order(string Id, int Quantity);

    private sealed record Answers(
        Order Read,
        bool SavedWithETag,
        bool SavedWithStaleETag,
        StatusCode FirstWriteOnExisting,
        IReadOnlyList<Order?> AfterTransaction,
        StatusCode StaleTransaction,
        Order AfterStaleTransaction,
        bool ExpiredAfterTtl,
        bool DeletedWithETag,
        Order? AfterDelete)
    {
        public bool Equals(Answers? other) =>
            other is not null && (Read, SavedWithETag, SavedWithStaleETag, FirstWriteOnExisting, StaleTransaction, AfterStaleTransaction, ExpiredAfterTtl, DeletedWithETag, AfterDelete)
                == (other.Read, other.SavedWithETag, other.SavedWithStaleETag, other.FirstWriteOnExisting, other.StaleTransaction, other.AfterStaleTransaction, other.ExpiredAfterTtl, other.DeletedWithETag, other.AfterDelete)
            && AfterTransaction.SequenceEqual(other.AfterTransaction);

        public override int GetHashCode() => HashCode.Combine(Read, FirstWriteOnExisting, StaleTransaction);
    }
}
