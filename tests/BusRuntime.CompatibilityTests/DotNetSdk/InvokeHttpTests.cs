using System.Net;
using System.Text.Json;
using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Dapr.Client;
using Google.Protobuf;
using Grpc.Core;

#pragma warning disable CS0618 // InvokeMethodAsync is obsolete in the SDK, yet apps still call it: that is what is tested.

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>The Dapr .NET SDK's InvokeMethodAsync (HTTP, /v1.0/invoke) from one app's sidecar to another app's, over RabbitMQ.</summary>
[Collection(BrokerCollection.Name)]
public sealed class InvokeHttpTests(BrokerFixture broker)
{
    private sealed record Order(int Id, string Item);

    private sealed record Receipt(int OrderId, string Status);

    [Fact]
    public async Task InvokeMethodAsync_PostJson_TargetGetsVerbQueryBodyAndCallerTheTypedAnswer()
    {
        var target = BrokerFixture.UniqueAppId("http-target");
        try
        {
            await using var app = await DaprCallbackApp.StartAsync();
            app.Respond = request =>
            {
                using var order = JsonDocument.Parse(request.Data.Value.ToStringUtf8());
                var id = order.RootElement.GetProperty("id").GetInt32();
                return Task.FromResult(DaprCallbackApp.Answer(ByteString.CopyFromUtf8($$"""{"orderId":{{id}},"status":"accepted"}"""), "application/json"));
            };
            await using var targetSidecar = await TestSidecar.StartAsync(target, BrokerFixture.Settings(), app.Port);
            await targetSidecar.WaitUntilServingInvocationsAsync();
            var caller = BrokerFixture.UniqueAppId("http-caller");
            await using var callerSidecar = await TestSidecar.StartAsync(caller, BrokerFixture.Settings());
            using var dapr = SdkClients.For(callerSidecar);

            using var request = dapr.CreateInvokeMethodRequest(HttpMethod.Post, target, "orders", [new KeyValuePair<string, string>("priority", "high")], new Order(7, "book"));
            request.Headers.Add("x-tenant", "acme");
            var receipt = await dapr.InvokeMethodAsync<Receipt>(request);

            Assert.Equal(new Receipt(7, "accepted"), receipt);
            var received = Assert.Single(app.Invocations);
            Assert.Equal("orders", received.Request.Method);
            Assert.Equal("POST", received.Request.HttpExtension.Verb.ToString().ToUpperInvariant());
            Assert.Equal("priority=high", received.Request.HttpExtension.Querystring);
            Assert.StartsWith("application/json", received.Request.ContentType, StringComparison.Ordinal);
            Assert.Equal("book", JsonDocument.Parse(received.Request.Data.Value.ToStringUtf8()).RootElement.GetProperty("item").GetString());
            Assert.Equal("acme", received.Headers["x-tenant"]);
            Assert.Equal(caller, received.Headers["dapr-caller-app-id"]);
        }
        finally
        {
            await broker.DeleteInvokeEntitiesAsync(target);
        }
    }

    [Fact]
    public async Task InvokeMethodAsync_Get_TargetGetsTheVerbAndNoBody()
    {
        var target = BrokerFixture.UniqueAppId("http-get");
        try
        {
            await using var app = await DaprCallbackApp.StartAsync();
            app.Respond = _ => Task.FromResult(DaprCallbackApp.Answer(ByteString.CopyFromUtf8("""{"orderId":1,"status":"shipped"}"""), "application/json"));
            await using var targetSidecar = await TestSidecar.StartAsync(target, BrokerFixture.Settings(), app.Port);
            await targetSidecar.WaitUntilServingInvocationsAsync();
            await using var callerSidecar = await TestSidecar.StartAsync(BrokerFixture.UniqueAppId("http-caller"), BrokerFixture.Settings());
            using var dapr = SdkClients.For(callerSidecar);

            var receipt = await dapr.InvokeMethodAsync<Receipt>(HttpMethod.Get, target, "orders/1");

            Assert.Equal(new Receipt(1, "shipped"), receipt);
            var received = Assert.Single(app.Invocations);
            Assert.Equal("orders/1", received.Request.Method);
            Assert.Equal("GET", received.Request.HttpExtension.Verb.ToString().ToUpperInvariant());
            Assert.True(received.Request.Data is null || received.Request.Data.Value.IsEmpty);
        }
        finally
        {
            await broker.DeleteInvokeEntitiesAsync(target);
        }
    }

    [Fact]
    public async Task InvokeMethodAsync_TargetAnswersNotFound_InvocationExceptionWith404AndTheStatus()
    {
        var target = BrokerFixture.UniqueAppId("http-missing");
        try
        {
            await using var app = await DaprCallbackApp.StartAsync();
            app.Respond = _ => throw new RpcException(new Status(StatusCode.NotFound, "order 9 does not exist"));
            await using var targetSidecar = await TestSidecar.StartAsync(target, BrokerFixture.Settings(), app.Port);
            await targetSidecar.WaitUntilServingInvocationsAsync();
            await using var callerSidecar = await TestSidecar.StartAsync(BrokerFixture.UniqueAppId("http-caller"), BrokerFixture.Settings());
            using var dapr = SdkClients.For(callerSidecar);

            var error = await Assert.ThrowsAsync<InvocationException>(() => dapr.InvokeMethodAsync<Receipt>(HttpMethod.Get, target, "orders/9"));

            Assert.Equal(target, error.AppId);
            Assert.Equal("orders/9", error.MethodName);
            Assert.Equal(HttpStatusCode.NotFound, error.Response?.StatusCode);
            Assert.Contains("order 9 does not exist", await error.Response!.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await broker.DeleteInvokeEntitiesAsync(target);
        }
    }

    [Fact]
    public async Task InvokeMethodAsync_NoReplicaOfTheApp_InvocationExceptionWithDirectInvokeError()
    {
        var target = BrokerFixture.UniqueAppId("http-absent");
        try
        {
            await using var callerSidecar = await TestSidecar.StartAsync(BrokerFixture.UniqueAppId("http-caller"), BrokerFixture.Settings());
            using var dapr = SdkClients.For(callerSidecar);

            var error = await Assert.ThrowsAsync<InvocationException>(() => dapr.InvokeMethodAsync(HttpMethod.Post, target, "ping"));

            Assert.Equal(HttpStatusCode.InternalServerError, error.Response?.StatusCode);
            using var body = JsonDocument.Parse(await error.Response!.Content.ReadAsStringAsync());
            Assert.Equal("ERR_DIRECT_INVOKE", body.RootElement.GetProperty("errorCode").GetString());
            Assert.Contains(target, body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await broker.DeleteInvokeEntitiesAsync(target);
        }
    }

    [Fact]
    public async Task CreateInvokeHttpClient_NativeHttpClient_ReachesTheOtherAppThroughTheInvokeRoute()
    {
        var target = BrokerFixture.UniqueAppId("http-native");
        try
        {
            await using var app = await DaprCallbackApp.StartAsync();
            app.Respond = _ => Task.FromResult(DaprCallbackApp.Answer(ByteString.CopyFromUtf8("pong"), "text/plain"));
            await using var targetSidecar = await TestSidecar.StartAsync(target, BrokerFixture.Settings(), app.Port);
            await targetSidecar.WaitUntilServingInvocationsAsync();
            await using var callerSidecar = await TestSidecar.StartAsync(BrokerFixture.UniqueAppId("http-caller"), BrokerFixture.Settings());
            using var http = DaprClient.CreateInvokeHttpClient(target, $"http://127.0.0.1:{callerSidecar.HttpPort}");

            using var response = await http.PutAsync(new Uri("health/ping?deep=true", UriKind.Relative), new StringContent("ping"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("pong", await response.Content.ReadAsStringAsync());
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            var received = Assert.Single(app.Invocations);
            Assert.Equal("health/ping", received.Request.Method);
            Assert.Equal("PUT", received.Request.HttpExtension.Verb.ToString().ToUpperInvariant());
            Assert.Equal("deep=true", received.Request.HttpExtension.Querystring);
            Assert.Equal("ping", received.Request.Data.Value.ToStringUtf8());
        }
        finally
        {
            await broker.DeleteInvokeEntitiesAsync(target);
        }
    }
}
