using System.Collections.Concurrent;
using System.Globalization;
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

        var accepted = new ConcurrentQueue<string>();
        var refused = new ConcurrentDictionary<StatusCode, int>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(() => WriteUntilStoppedAsync(sidecar, writer, accepted, refused, stop.Token))).ToArray();
        try
        {
            await Poll.UntilAsync(() => accepted.Count >= 100, TimeSpan.FromSeconds(20), () => $"{accepted.Count} writes accepted before the cut");
            proxy.Cut();
            output.WriteLine($"cut after {accepted.Count} accepted writes");
            await Readiness.WaitForAsync(sidecar, "statestore", "DOWN", TimeSpan.FromSeconds(20));
            var (httpStatus, overall, _) = await Readiness.ReadAsync(sidecar, "statestore");
            Assert.Equal((503, "DOWN"), (httpStatus, overall));
            var whileCut = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.GetStateAsync(
                new GetStateRequest { StoreName = "statestore", Key = "writer-0-0" }, deadline: DateTime.UtcNow.AddSeconds(30)));
            Assert.Equal(StatusCode.Unavailable, whileCut.StatusCode);
            Assert.Contains($"Redis at 127.0.0.1:{proxy.Port}/0 is unreachable for the state store 'statestore'", whileCut.Status.Detail, StringComparison.Ordinal);

            var acceptedWhileCut = accepted.Count;
            proxy.Restore();
            await Readiness.WaitForAsync(sidecar, "statestore", "UP", TimeSpan.FromSeconds(30));
            await Poll.UntilAsync(() => accepted.Count >= acceptedWhileCut + 100, TimeSpan.FromSeconds(30), () => "writes were not accepted again after the restore");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        output.WriteLine($"{accepted.Count} accepted; refused {string.Join(", ", refused.Select(pair => $"{pair.Key}: {pair.Value}"))}");
        // Refused fast and for the right reason: a hang would show up as DEADLINE_EXCEEDED.
        Assert.Equal([StatusCode.Unavailable], refused.Keys);
        var lost = new List<string>();
        foreach (var chunk in accepted.Chunk(100))
        {
            var read = await sidecar.Runtime.GetBulkStateAsync(new GetBulkStateRequest { StoreName = "statestore", Keys = { chunk } });
            lost.AddRange(read.Items.Where(item => item.Data.ToStringUtf8() != item.Key).Select(item => item.Key));
        }

        Assert.True(lost.Count == 0, $"{lost.Count} of {accepted.Count} accepted writes are not in Redis, e.g. {string.Join(", ", lost.Take(5))}");
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

    private static async Task WriteUntilStoppedAsync(
        TestSidecar sidecar,
        int writer,
        ConcurrentQueue<string> accepted,
        ConcurrentDictionary<StatusCode, int> refused,
        CancellationToken stop)
    {
        for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"writer-{writer}-{sequence}");
            try
            {
                await sidecar.Runtime.SaveStateAsync(
                    new SaveStateRequest { StoreName = "statestore", States = { new StateItem { Key = key, Value = ByteString.CopyFromUtf8(key) } } },
                    deadline: DateTime.UtcNow.AddSeconds(20),
                    cancellationToken: CancellationToken.None);
                accepted.Enqueue(key);
            }
            catch (RpcException exception)
            {
                refused.AddOrUpdate(exception.StatusCode, 1, (_, count) => count + 1);
                await Task.Delay(50, CancellationToken.None);
            }
        }
    }
}
