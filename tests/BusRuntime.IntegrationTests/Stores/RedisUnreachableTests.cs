using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.IntegrationTests.Stores;

/// <summary>
/// A sidecar whose Redis goes away: it reaches the real server through a TCP proxy the test cuts and restores,
/// so only this sidecar loses Redis. Calls fail UNAVAILABLE (not a hang), readiness says DOWN, the sidecar
/// serves again once Redis is back without a restart, and every write that returned OK is there afterwards.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisUnreachableTests(RedisFixture redis, ITestOutputHelper output)
{
    [Fact]
    public async Task SaveState_RedisCutAndRestoredWhileWriting_UnavailableMeanwhileAndEveryAcceptedWriteKept()
    {
        await using var proxy = TcpProxy.Start(RedisServer.Port);
        await using var sidecar = await TestSidecar.StartAsync("writer", redis.Settings($"127.0.0.1:{proxy.Port}"));
        await sidecar.WaitUntilReadyAsync();

        var outcome = await StoreCut.WriteAcrossACutAsync(sidecar, proxy, output);

        Assert.Equal(StatusCode.Unavailable, outcome.ReadWhileCut.StatusCode);
        Assert.Contains($"Redis at 127.0.0.1:{proxy.Port}/0 is unreachable for the state store 'statestore'", outcome.ReadWhileCut.Status.Detail, StringComparison.Ordinal);
        // Refused fast and for the right reason: a hang would show up as DEADLINE_EXCEEDED.
        Assert.Equal([StatusCode.Unavailable], outcome.Refused.Keys);
        var lost = new List<string>();
        foreach (var chunk in outcome.Accepted.Chunk(100))
        {
            var read = await sidecar.Runtime.GetBulkStateAsync(new GetBulkStateRequest { StoreName = "statestore", Keys = { chunk } });
            lost.AddRange(read.Items.Where(item => item.Data.ToStringUtf8() != item.Key).Select(item => item.Key));
        }

        Assert.True(lost.Count == 0, $"{lost.Count} of {outcome.Accepted.Count} accepted writes are not in Redis, e.g. {string.Join(", ", lost.Take(5))}");
    }

    [Fact]
    public async Task Start_RedisUnreachable_StartsNotReadyAndServesOnceItAppears()
    {
        await using var proxy = TcpProxy.Start(RedisServer.Port);
        proxy.Cut();
        await using var sidecar = await TestSidecar.StartAsync("late", redis.Settings($"127.0.0.1:{proxy.Port}"));

        await Readiness.WaitForAsync(sidecar, "statestore", "INIT", TimeSpan.FromSeconds(10));
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.SaveStateAsync(
            new SaveStateRequest { StoreName = "statestore", States = { new StateItem { Key = "k", Value = ByteString.CopyFromUtf8("v") } } },
            deadline: DateTime.UtcNow.AddSeconds(30)));
        proxy.Restore();
        await sidecar.WaitUntilReadyAsync();
        await sidecar.Runtime.SaveStateAsync(new SaveStateRequest { StoreName = "statestore", States = { new StateItem { Key = "k", Value = ByteString.CopyFromUtf8("v") } } });

        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal("v", (await sidecar.Runtime.GetStateAsync(new GetStateRequest { StoreName = "statestore", Key = "k" })).Data.ToStringUtf8());
    }
}
