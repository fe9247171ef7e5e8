using System.Text.Json;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.IntegrationTests.Stores;

/// <summary>
/// Sidecars whose statestore and lockstore are state.redis and lock.redis on the real Redis: shared by every
/// sidecar on the same server, they outlive the sidecars; input over the limits never reaches Redis.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisSidecarTests(RedisFixture redis)
{
    [Fact]
    public async Task RunWithRedis_StateAndLocksOnRedis_OutliveTheSidecar()
    {
        var settings = WithLockStore(redis.Settings());
        string etag;
        await using (var first = await TestSidecar.StartAsync("orders", settings))
        {
            var info = JsonDocument.Parse(await first.Http.GetStringAsync(new Uri("/actuator/info", UriKind.Relative)));
            var types = info.RootElement.GetProperty("components").EnumerateArray()
                .ToDictionary(component => component.GetProperty("name").GetString()!, component => component.GetProperty("type").GetString()!);
            Assert.Equal("state.redis", types["statestore"]);
            Assert.Equal("lock.redis", types["lockstore"]);

            await first.Runtime.SaveStateAsync(new SaveStateRequest { StoreName = "statestore", States = { new StateItem { Key = "order-1", Value = ByteString.CopyFromUtf8("kept") } } });
            etag = (await first.Runtime.GetStateAsync(new GetStateRequest { StoreName = "statestore", Key = "order-1" })).Etag;
            Assert.True((await first.Runtime.TryLockAsync(new TryLockRequest { StoreName = "lockstore", ResourceId = "invoice-7", LockOwner = "worker-1", Expire = 60 })).Success);
        }

        await using var second = await TestSidecar.StartAsync("orders", settings);

        var read = await second.Runtime.GetStateAsync(new GetStateRequest { StoreName = "statestore", Key = "order-1" });
        Assert.Equal("kept", read.Data.ToStringUtf8());
        Assert.Equal(etag, read.Etag);
        Assert.False((await second.Runtime.TryLockAsync(new TryLockRequest { StoreName = "lockstore", ResourceId = "invoice-7", LockOwner = "worker-2", Expire = 60 })).Success);
    }

    [Fact]
    public async Task SaveState_ValueOrKeyOverTheLimit_InvalidArgumentNamingTheLimitAndNothingStored()
    {
        var settings = redis.Settings();
        settings["BusRuntime:MaxPayloadBytes"] = "1024";
        var keyspace = settings["BusRuntime:Components:0:Metadata:keyPrefix"]!;
        await using var sidecar = await TestSidecar.StartAsync("orders", settings);

        var value = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.SaveStateAsync(new SaveStateRequest
        {
            StoreName = "statestore",
            States = { new StateItem { Key = "k", Value = ByteString.CopyFrom(new byte[1025]) } },
        }));
        var key = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.SaveStateAsync(new SaveStateRequest
        {
            StoreName = "statestore",
            States = { new StateItem { Key = new string('k', 1025), Value = ByteString.CopyFromUtf8("v") } },
        }));

        Assert.Equal((StatusCode.InvalidArgument, "states[0].value is 1025 bytes, over the maximum of 1024 bytes (BusRuntime:MaxPayloadBytes)."), (value.StatusCode, value.Status.Detail));
        Assert.Equal(StatusCode.InvalidArgument, key.StatusCode);
        Assert.EndsWith("is 1025 bytes long in UTF-8, over the maximum of 1024.", key.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await redis.Server.KeyCountAsync(keyspace));
    }

    [Fact]
    public async Task QueryState_OnRedis_UnimplementedNamingTheTypeAsDaprAnswersForAStoreThatCannotQuery()
    {
        await using var sidecar = await TestSidecar.StartAsync("orders", redis.Settings());

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await sidecar.Runtime.QueryStateAsync(new QueryStateRequest { StoreName = "statestore", Query = "{}" }));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Contains("its type 'state.redis' cannot query", error.Status.Detail, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> WithLockStore(Dictionary<string, string?> settings)
    {
        settings["BusRuntime:Components:1:Name"] = "lockstore";
        settings["BusRuntime:Components:1:Type"] = "lock.redis";
        settings["BusRuntime:Components:1:Metadata:redisHost"] = RedisServer.HostAndPort;
        settings["BusRuntime:Components:1:Metadata:keyPrefix"] = settings["BusRuntime:Components:0:Metadata:keyPrefix"];
        return settings;
    }
}
