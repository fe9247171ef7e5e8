using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using BusRuntime.Protos.V1;
using BusRuntime.Sagas.Workflows;
using BusRuntime.Stores.Postgres.Migrations;
using BusRuntime.Stores.Postgres.Sagas;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.IntegrationTests.Stores;

/// <summary>
/// Sidecars started with BusRuntime:Postgres (run --postgres): their default stores live on the real
/// PostgreSQL, shared by every sidecar on the same schema, and outlive the sidecars.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSidecarTests(PostgresFixture postgres)
{
    [Fact]
    public async Task RunWithPostgres_DefaultStoresOnPostgres_StateSequencesAndLocksOutliveTheSidecar()
    {
        var settings = postgres.Settings(postgres.Server.NewSchema());
        string etag;
        await using (var first = await TestSidecar.StartAsync("orders", settings))
        {
            var info = JsonDocument.Parse(await first.Http.GetStringAsync(new Uri("/actuator/info", UriKind.Relative)));
            var types = info.RootElement.GetProperty("components").EnumerateArray()
                .ToDictionary(component => component.GetProperty("name").GetString()!, component => component.GetProperty("type").GetString()!);
            Assert.Equal("state.postgresql", types["statestore"]);
            Assert.Equal("lock.postgresql", types["lockstore"]);
            Assert.Equal("sequencer.postgresql", types["sequencer"]);

            await Save(first, "order-1", "kept");
            etag = (await Get(first, "order-1")).Etag;
            Assert.Equal(1, await NextId(first, "invoice"));
            Assert.True(await TryLock(first, "invoice-7", "worker-1"));
        }

        await using var second = await TestSidecar.StartAsync("orders", settings);

        var read = await Get(second, "order-1");
        Assert.Equal("kept", read.Data.ToStringUtf8());
        Assert.Equal(etag, read.Etag);
        Assert.Equal(2, await NextId(second, "invoice"));
        Assert.False(await TryLock(second, "invoice-7", "worker-2"));
    }

    [Fact]
    public async Task SaveState_TwoAppsOnOneDatabase_KeysAreScopedPerAppIdUnlessTheStoreSaysNone()
    {
        var shared = new Dictionary<string, string?>
        {
            ["BusRuntime:Components:0:Name"] = "shared",
            ["BusRuntime:Components:0:Type"] = "state.postgresql",
            ["BusRuntime:Components:0:Metadata:keyPrefix"] = "none",
            ["BusRuntime:Components:1:Name"] = "statestore",
            ["BusRuntime:Components:1:Type"] = "state.postgresql",
        };
        var settings = postgres.Settings(postgres.Server.NewSchema(), more: shared);
        await using var orders = await TestSidecar.StartAsync("orders", settings);
        await using var ordersReplica = await TestSidecar.StartAsync("orders", settings);
        await using var billing = await TestSidecar.StartAsync("billing", settings);

        await Save(orders, "config", "orders' own");
        await Save(billing, "config", "billing's own");
        await Save(orders, "config", "everyone's", "shared");

        Assert.Equal("orders' own", (await Get(ordersReplica, "config")).Data.ToStringUtf8());
        Assert.Equal("billing's own", (await Get(billing, "config")).Data.ToStringUtf8());
        Assert.Equal("everyone's", (await Get(billing, "config", "shared")).Data.ToStringUtf8());
        var stored = await StoredKeysAsync(settings["BusRuntime:PostgresSchema"]!);
        Assert.Equal(["billing||config", "config", "orders||config"], stored);
    }

    [Fact]
    public async Task QueryState_TwoAppsOnOneDatabase_TheAppsMatchingJsonValuesPageByPageWithTheirEtags()
    {
        var settings = postgres.Settings(postgres.Server.NewSchema());
        await using var orders = await TestSidecar.StartAsync("orders", settings);
        await using var billing = await TestSidecar.StartAsync("billing", settings);
        await Save(orders, "a", """{"org": "dev", "id": 2}""");
        await Save(orders, "b", """{"org": "dev", "id": 1}""");
        await Save(orders, "c", """{"org": "ops", "id": 3}""");
        await Save(orders, "d", "not json");
        await Save(billing, "e", """{"org": "dev", "id": 0}""");
        const string Query = """{"filter": {"EQ": {"org": "dev"}}, "sort": [{"key": "id"}], "page": {"limit": 1, "token": "%TOKEN%"}}""";

        var first = await orders.Runtime.QueryStateAsync(new QueryStateRequest { StoreName = "statestore", Query = Query.Replace("%TOKEN%", "", StringComparison.Ordinal) });
        var second = await orders.Runtime.QueryStateAsync(new QueryStateRequest { StoreName = "statestore", Query = Query.Replace("%TOKEN%", first.Token, StringComparison.Ordinal) });

        var b = Assert.Single(first.Results);
        Assert.Equal(("b", """{"org": "dev", "id": 1}""", (await Get(orders, "b")).Etag), (b.Key, b.Data.ToStringUtf8(), b.Etag));
        Assert.Equal("1", first.Token);
        Assert.Equal("a", Assert.Single(second.Results).Key);
        Assert.Equal("", second.Token);
    }

    [Fact]
    public async Task SaveState_FiftyWritersOnTwoSidecarsRacingWithEtags_ExactlyOneWinsPerVersion()
    {
        var settings = postgres.Settings(postgres.Server.NewSchema());
        await using var left = await TestSidecar.StartAsync("counter", settings);
        await using var right = await TestSidecar.StartAsync("counter", settings);
        await Save(left, "count", "0");
        var wins = 0;
        var aborted = 0;

        await Task.WhenAll(Enumerable.Range(0, 50).Select(async writer =>
        {
            var sidecar = writer % 2 == 0 ? left : right;
            for (var round = 0; round < 4; round++)
            {
                var read = await Get(sidecar, "count");
                var next = int.Parse(read.Data.ToStringUtf8(), CultureInfo.InvariantCulture) + 1;
                try
                {
                    await sidecar.Runtime.SaveStateAsync(new SaveStateRequest
                    {
                        StoreName = "statestore",
                        States = { new StateItem { Key = "count", Value = ByteString.CopyFromUtf8(next.ToString(CultureInfo.InvariantCulture)), Etag = new Etag { Value = read.Etag } } },
                    });
                    Interlocked.Increment(ref wins);
                }
                catch (RpcException exception) when (exception.StatusCode == StatusCode.Aborted)
                {
                    Interlocked.Increment(ref aborted);
                }
            }
        }));

        Assert.Equal(200, wins + aborted);
        Assert.Equal(wins.ToString(CultureInfo.InvariantCulture), (await Get(left, "count")).Data.ToStringUtf8());
        Assert.True(wins >= 4, $"only {wins} writes won");
    }

    [Fact]
    public async Task GetNextId_StrongOnThreeSidecars_NoIdTwiceAndEachLaterCallGetsALargerId()
    {
        var settings = postgres.Settings(postgres.Server.NewSchema());
        var sidecars = await StartAsync(3, "ids", settings);
        try
        {
            var concurrent = await Task.WhenAll(Enumerable.Range(0, 300).Select(call => NextId(sidecars[call % 3], "order", strong: true)));
            var sequential = new List<long>();
            for (var call = 0; call < 30; call++)
            {
                sequential.Add(await NextId(sidecars[call % 3], "order", strong: true));
            }

            Assert.Equal(Enumerable.Range(1, 300).Select(id => (long)id), concurrent.Order());
            Assert.Equal(Enumerable.Range(301, 30).Select(id => (long)id), sequential);
        }
        finally
        {
            await DisposeAllAsync(sidecars);
        }
    }

    [Fact]
    public async Task GetNextId_WeakWithSegmentsOnThreeSidecars_NoIdTwiceAndIncreasingPerSidecar()
    {
        var segments = new Dictionary<string, string?>
        {
            ["BusRuntime:Components:0:Name"] = "sequencer",
            ["BusRuntime:Components:0:Type"] = "sequencer.postgresql",
            ["BusRuntime:Components:0:Metadata:segmentSize"] = "50",
        };
        var sidecars = await StartAsync(3, "ids", postgres.Settings(postgres.Server.NewSchema(), more: segments));
        try
        {
            var perSidecar = await Task.WhenAll(sidecars.Select(async sidecar =>
            {
                var ids = new List<long>();
                for (var call = 0; call < 120; call++)
                {
                    ids.Add(await NextId(sidecar, "order", strong: false));
                }

                return ids;
            }));

            var all = perSidecar.SelectMany(ids => ids).ToList();
            Assert.Equal(all.Count, all.Distinct().Count());
            Assert.All(perSidecar, ids => Assert.Equal(ids.Order(), ids));
            // Three segments of 50 each per sidecar: nothing beyond the 9 segments reserved.
            Assert.InRange(all.Max(), 360, 450);
        }
        finally
        {
            await DisposeAllAsync(sidecars);
        }
    }

    [Fact]
    public async Task TryLock_ContendersOnThreeSidecars_AtMostOneHolderAtAnyTime()
    {
        var sidecars = await StartAsync(3, "workers", postgres.Settings(postgres.Server.NewSchema()));
        try
        {
            var holders = 0;
            var overlaps = 0;
            var acquisitions = new ConcurrentBag<string>();
            await Task.WhenAll(Enumerable.Range(0, 30).Select(async contender =>
            {
                var sidecar = sidecars[contender % 3];
                var owner = $"worker-{contender}";
                for (var attempt = 0; attempt < 10; attempt++)
                {
                    if (!await TryLock(sidecar, "nightly-report", owner))
                    {
                        continue;
                    }

                    if (Interlocked.Increment(ref holders) > 1)
                    {
                        Interlocked.Increment(ref overlaps);
                    }

                    acquisitions.Add(owner);
                    await Task.Delay(2);
                    Interlocked.Decrement(ref holders);
                    var released = await sidecar.Runtime.UnlockAsync(new UnlockRequest { StoreName = "lockstore", ResourceId = "nightly-report", LockOwner = owner });
                    Assert.Equal(UnlockResponse.Types.Status.Success, released.Status);
                }
            }));

            Assert.Equal(0, overlaps);
            Assert.True(acquisitions.Count > 1, $"the lock was taken {acquisitions.Count} times");
        }
        finally
        {
            await DisposeAllAsync(sidecars);
        }
    }

    [Fact]
    public async Task Start_AutoCreateNoneOnAnEmptySchema_NotReadyNamingTheCommandUntilTheSchemaIsApplied()
    {
        var schema = postgres.Server.NewSchema();
        var settings = postgres.Settings(schema, more: new Dictionary<string, string?> { ["BusRuntime:PostgresAutoCreate"] = "None" });
        await using var sidecar = await TestSidecar.StartAsync("orders", settings);
        await Poll.UntilAsync(
            async () => (await Readiness.ReadAsync(sidecar, "statestore")).Component is "INIT" or "DOWN", TimeSpan.FromSeconds(20), () => "statestore did not report its missing schema");
        using var readiness = await sidecar.Http.GetAsync(new Uri("/actuator/health/readiness", UriKind.Relative));
        var report = await readiness.Content.ReadAsStringAsync();
        var refused = await Assert.ThrowsAsync<RpcException>(() => Save(sidecar, "order-1", "v"));
        await using (var count = postgres.Server.Admin.CreateCommand($"SELECT count(*) FROM pg_namespace WHERE nspname = '{schema}'"))
        {
            Assert.Equal(0L, await count.ExecuteScalarAsync());
        }

        await PostgresSchemaMigration.MigrateAsync(
            PostgresServer.ConnectionString, schema, [new PostgresSagaRepositoryOptions<WorkflowState>().Table], "--postgres", "--schema", _ => { }, CancellationToken.None);
        await sidecar.WaitUntilReadyAsync();
        await Save(sidecar, "order-1", "v");

        Assert.Equal(503, (int)readiness.StatusCode);
        Assert.Contains("busruntime db migrate", report, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Contains("busruntime db migrate", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("v", (await Get(sidecar, "order-1")).Data.ToStringUtf8());
    }

    private async Task<List<string>> StoredKeysAsync(string schema)
    {
        await using var command = postgres.Server.Admin.CreateCommand($"SELECT id FROM \"{schema}\".mt_doc_state ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private static async Task<List<TestSidecar>> StartAsync(int count, string appId, Dictionary<string, string?> settings)
    {
        var sidecars = new List<TestSidecar>();
        for (var index = 0; index < count; index++)
        {
            sidecars.Add(await TestSidecar.StartAsync(appId, settings));
        }

        return sidecars;
    }

    private static async Task DisposeAllAsync(IEnumerable<TestSidecar> sidecars)
    {
        foreach (var sidecar in sidecars)
        {
            await sidecar.DisposeAsync();
        }
    }

    private static async Task Save(TestSidecar sidecar, string key, string value, string store = "statestore") =>
        await sidecar.Runtime.SaveStateAsync(new SaveStateRequest { StoreName = store, States = { new StateItem { Key = key, Value = ByteString.CopyFromUtf8(value) } } });

    private static async Task<GetStateResponse> Get(TestSidecar sidecar, string key, string store = "statestore") =>
        await sidecar.Runtime.GetStateAsync(new GetStateRequest { StoreName = store, Key = key });

    private static async Task<long> NextId(TestSidecar sidecar, string key, bool strong = true) =>
        (await sidecar.Runtime.GetNextIdAsync(new GetNextIdRequest
        {
            StoreName = "sequencer",
            Key = key,
            Options = new SequencerOptions { Increment = strong ? SequencerOptions.Types.AutoIncrement.Strong : SequencerOptions.Types.AutoIncrement.Weak },
        })).NextId;

    private static async Task<bool> TryLock(TestSidecar sidecar, string resource, string owner) =>
        (await sidecar.Runtime.TryLockAsync(new TryLockRequest { StoreName = "lockstore", ResourceId = resource, LockOwner = owner, Expire = 30 })).Success;
}
