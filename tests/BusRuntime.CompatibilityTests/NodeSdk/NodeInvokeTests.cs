using System.Globalization;
using System.Text.Json;
using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Google.Protobuf;

namespace BusRuntime.CompatibilityTests.NodeSdk;

/// <summary>The Dapr Node.js SDK's invoker (HTTP) calling another app through two sidecars on RabbitMQ.</summary>
[Collection(BrokerCollection.Name)]
public sealed class NodeInvokeTests(BrokerFixture broker)
{
    [Fact]
    public async Task NodeSdk_Invoke_OverHttp_ReachesTheOtherAppAndReturnsItsJson()
    {
        var target = BrokerFixture.UniqueAppId("node-target");
        try
        {
            await using var app = await DaprCallbackApp.StartAsync();
            app.Respond = request => Task.FromResult(DaprCallbackApp.Answer(
                ByteString.CopyFromUtf8($$"""{"echo":{{request.Data.Value.ToStringUtf8()}},"by":"target"}"""), "application/json"));
            await using var targetSidecar = await TestSidecar.StartAsync(target, BrokerFixture.Settings(), app.Port);
            await targetSidecar.WaitUntilServingInvocationsAsync();
            var caller = BrokerFixture.UniqueAppId("node-caller");
            await using var callerSidecar = await TestSidecar.StartAsync(caller, BrokerFixture.Settings());

            var result = (await NodeScripts.RunAsync("invoke.mjs", new Dictionary<string, string>
            {
                ["DAPR_HTTP_PORT"] = callerSidecar.HttpPort.ToString(CultureInfo.InvariantCulture),
                ["TARGET_APP_ID"] = target,
                ["METHOD"] = "greetings",
            })).AssertSucceeded();

            var answer = Assert.Single(result.JsonLines()).GetProperty("answer");
            Assert.Equal("target", answer.GetProperty("by").GetString());
            Assert.Equal("hello from node", answer.GetProperty("echo").GetProperty("greeting").GetString());
            var received = Assert.Single(app.Invocations);
            Assert.Equal("greetings", received.Request.Method);
            Assert.Equal("POST", received.Request.HttpExtension.Verb.ToString().ToUpperInvariant());
            Assert.StartsWith("application/json", received.Request.ContentType, StringComparison.Ordinal);
            Assert.Equal("hello from node", JsonDocument.Parse(received.Request.Data.Value.ToStringUtf8()).RootElement.GetProperty("greeting").GetString());
            Assert.Equal(caller, received.Headers["dapr-caller-app-id"]);
        }
        finally
        {
            await broker.DeleteInvokeEntitiesAsync(target);
        }
    }
}
