using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using BusRuntime.Testing;

namespace BusRuntime.CompatibilityTests.NodeSdk;

/// <summary>An app written with the Dapr Node.js SDK's DaprServer on HTTP (Express), behind a sidecar run with <c>--app-protocol http</c>.</summary>
public sealed class NodeHttpAppTests
{
    [Fact]
    public async Task NodeSdk_HttpDaprServer_ReceivesAnEventAndServesAnInvocation()
    {
        var appPort = FreePort.Next();
        var topic = $"node-http-{Guid.NewGuid():N}";

        // The sidecar first: it asks the app for its subscriptions until the app answers, as daprd does.
        await using var sidecar = await TestSidecar.StartAsync("node-http-app", new Dictionary<string, string?>
        {
            ["BusRuntime:AppProtocol"] = "http",
        }, appPort);
        await using var app = await NodeScripts.StartAsync("http-app.mjs", new Dictionary<string, string>
        {
            ["APP_PORT"] = appPort.ToString(CultureInfo.InvariantCulture),
            ["DAPR_HTTP_PORT"] = sidecar.HttpPort.ToString(CultureInfo.InvariantCulture),
            ["TOPIC"] = topic,
        });
        await sidecar.WaitForSubscriptionsAsync(1);
        await app.WaitForOutputAsync("\"started\":true", TimeSpan.FromSeconds(60));
        using var published = await sidecar.Http.PostAsync(
            new Uri($"/v1.0/publish/pubsub/{topic}", UriKind.Relative),
            new StringContent("""{"orderId":6,"item":"desk"}""", Encoding.UTF8, "application/json"));
        await app.WaitForOutputAsync("\"received\"", TimeSpan.FromSeconds(60));
        using var invoked = await sidecar.Http.GetAsync(new Uri("/v1.0/invoke/node-http-app/method/greet?name=ann", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, published.StatusCode);
        Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
        Assert.Equal("hello ann", JsonDocument.Parse(await invoked.Content.ReadAsStringAsync()).RootElement.GetProperty("greeting").GetString());
        var received = NodeResult.JsonLinesOf(app.Output).Single(line => line.TryGetProperty("received", out _)).GetProperty("received");
        Assert.Equal(6, received.GetProperty("orderId").GetInt32());
        Assert.Equal("desk", received.GetProperty("item").GetString());
    }
}
