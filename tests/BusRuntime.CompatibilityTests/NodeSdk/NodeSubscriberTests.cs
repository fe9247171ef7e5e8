using System.Globalization;
using System.Net.Sockets;
using System.Text;
using BusRuntime.Testing;

namespace BusRuntime.CompatibilityTests.NodeSdk;

/// <summary>A subscriber app written with the Dapr Node.js SDK's DaprServer (gRPC AppCallback) behind a sidecar.</summary>
public sealed class NodeSubscriberTests
{
    [Fact]
    public async Task NodeSdk_DaprServerSubscriber_ReceivesAnEventPublishedThroughItsSidecar()
    {
        var appPort = FreePort.Next();
        var grpcPort = FreePort.Next();
        var topic = $"node-sub-{Guid.NewGuid():N}";
        await using var subscriber = await NodeScripts.StartAsync("subscriber.mjs", new Dictionary<string, string>
        {
            ["APP_PORT"] = appPort.ToString(CultureInfo.InvariantCulture),
            ["DAPR_GRPC_PORT"] = grpcPort.ToString(CultureInfo.InvariantCulture),
            ["TOPIC"] = topic,
        });
        await WaitUntilListeningAsync(appPort, subscriber);

        // As with daprd, the sidecar starts next to an app that already serves AppCallback and asks it for its subscriptions.
        await using var sidecar = await TestSidecar.StartAsync("node-subscriber", new Dictionary<string, string?>
        {
            ["BusRuntime:GrpcPort"] = grpcPort.ToString(CultureInfo.InvariantCulture),
        }, appPort);
        await sidecar.WaitForSubscriptionsAsync(1);
        await subscriber.WaitForOutputAsync("\"started\":true", TimeSpan.FromSeconds(60));
        using var published = await sidecar.Http.PostAsync(
            new Uri($"/v1.0/publish/pubsub/{topic}", UriKind.Relative),
            new StringContent("""{"orderId":5,"item":"lamp"}""", Encoding.UTF8, "application/json"));
        var result = (await subscriber.WaitForExitAsync(TimeSpan.FromSeconds(60))).AssertSucceeded();

        Assert.Equal(System.Net.HttpStatusCode.NoContent, published.StatusCode);
        var received = Assert.Single(result.JsonLines(), line => line.TryGetProperty("received", out _)).GetProperty("received");
        Assert.Equal(5, received.GetProperty("orderId").GetInt32());
        Assert.Equal("lamp", received.GetProperty("item").GetString());
    }

    private static async Task WaitUntilListeningAsync(int port, NodeProcess process)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (SocketException exception)
            {
                throw new TimeoutException($"the Node.js subscriber does not listen on {port}.\nstdout:\n{process.Output}\nstderr:\n{process.Errors}", exception);
            }
        }
    }
}
