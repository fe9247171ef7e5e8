using System.Collections.Concurrent;
using System.Globalization;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.IntegrationTests.Stores;

/// <summary>
/// Four writers save state through a sidecar while the test cuts its store's connection (a <see cref="TcpProxy"/>)
/// and restores it: readiness must go DOWN and UP again, a read while cut must fail, and writes must be accepted
/// again afterwards. The caller asserts on what was refused, the read's failure and what the store kept.
/// </summary>
internal static class StoreCut
{
    public static async Task<StoreCutOutcome> WriteAcrossACutAsync(TestSidecar sidecar, TcpProxy proxy, ITestOutputHelper output)
    {
        var accepted = new ConcurrentQueue<string>();
        var refused = new ConcurrentDictionary<StatusCode, int>();
        RpcException whileCut;
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
            whileCut = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.GetStateAsync(
                new GetStateRequest { StoreName = "statestore", Key = "writer-0-0" }, deadline: DateTime.UtcNow.AddSeconds(30)));

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
        return new StoreCutOutcome([.. accepted], refused, whileCut);
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
