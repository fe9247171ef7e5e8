using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;

namespace BusRuntime.CompatibilityTests.NodeSdk;

/// <summary>
/// The Node.js SDK's DaprServer on HTTP (Express) behind its own sidecar, reached from another app's sidecar across
/// RabbitMQ; both sidecars take the pub/sub from a component file (<c>--resources-path</c>), as daprd would.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class NodeHttpAppOnRabbitMqTests(BrokerFixture broker)
{
    [Fact]
    public async Task NodeSdk_HttpDaprServer_GetsAnotherAppsEventAndInvocationAcrossTheBroker()
    {
        var appId = BrokerFixture.UniqueAppId("node-rq-app");
        var topic = BrokerFixture.UniqueAppId("node-rq-topic");
        var appPort = FreePort.Next();
        using var components = DaprComponentsDirectory.WithRabbitMqPubSub();
        try
        {
            await using var appSidecar = await TestSidecar.StartAsync(appId, components.HttpAppSettings(), appPort);
            await using var app = await NodeScripts.StartAsync("http-app.mjs", new Dictionary<string, string>
            {
                ["APP_PORT"] = appPort.ToString(CultureInfo.InvariantCulture),
                ["DAPR_HTTP_PORT"] = appSidecar.HttpPort.ToString(CultureInfo.InvariantCulture),
                ["TOPIC"] = topic,
            });
            await appSidecar.WaitForSubscriptionsAsync(1);
            await app.WaitForOutputAsync("\"started\":true", TimeSpan.FromSeconds(60));
            await appSidecar.WaitUntilServingInvocationsAsync();
            await using var callerSidecar = await TestSidecar.StartAsync(BrokerFixture.UniqueAppId("node-rq-call"), components.Settings());

            using var published = await callerSidecar.Http.PostAsync(
                new Uri($"/v1.0/publish/pubsub/{topic}", UriKind.Relative),
                new StringContent("""{"orderId":7,"item":"lamp"}""", Encoding.UTF8, "application/json"));
            await app.WaitForOutputAsync("\"received\"", TimeSpan.FromSeconds(60));
            using var invoked = await callerSidecar.Http.GetAsync(new Uri($"/v1.0/invoke/{appId}/method/greet?name=bo", UriKind.Relative));

            Assert.Equal(HttpStatusCode.NoContent, published.StatusCode);
            Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
            Assert.Equal("hello bo", JsonDocument.Parse(await invoked.Content.ReadAsStringAsync()).RootElement.GetProperty("greeting").GetString());
            var received = NodeResult.JsonLinesOf(app.Output).Single(line => line.TryGetProperty("received", out _)).GetProperty("received");
            Assert.Equal(7, received.GetProperty("orderId").GetInt32());
            Assert.Equal("lamp", received.GetProperty("item").GetString());
        }
        finally
        {
            await broker.DeleteSubscriptionEntitiesAsync(appId, "pubsub", topic);
            await broker.DeleteInvokeEntitiesAsync(appId);
        }
    }
}
