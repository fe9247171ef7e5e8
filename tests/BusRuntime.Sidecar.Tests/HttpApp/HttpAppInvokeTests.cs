using System.Net;
using System.Text;
using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Sidecar.Tests.Dapr;
using BusRuntime.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using HttpExtension = BusRuntime.Protos.Dapr.Common.V1.HTTPExtension;
using InvokeRequest = BusRuntime.Protos.Dapr.Common.V1.InvokeRequest;

namespace BusRuntime.Sidecar.Tests.HttpApp;

/// <summary>Invocations of an HTTP app; on the in-memory bus a sidecar reaches its own app.</summary>
public sealed class HttpAppInvokeTests
{
    [Fact]
    public async Task InvokeOverHttp_HttpApp_GetsVerbPathQueryHeadersAndBodyAndCallerGetsItsAnswerUnchanged()
    {
        await using var app = await HttpTestApp.StartAsync();
        app.Respond = _ => new HttpTestAnswer(201, """{"made": true}""", "application/json") { Headers = new Dictionary<string, string> { ["x-answer"] = "yes" } };
        await using var sidecar = await HttpAppSidecar.StartAsync("orders", app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v1.0/invoke/orders/method/items/42?page=2&sort=up")
        {
            Content = new StringContent("line one", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("x-tenant", "acme");

        using var response = await sidecar.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"made": true}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("yes", Assert.Single(response.Headers.GetValues("x-answer")));
        var received = Assert.Single(app.Received);
        Assert.Equal("PUT", received.Method);
        Assert.Equal("/items/42", received.Path);
        Assert.Equal("?page=2&sort=up", received.Query);
        Assert.Equal("text/plain; charset=utf-8", received.ContentType);
        Assert.Equal("line one", received.Text);
        Assert.Equal("acme", received.Headers["x-tenant"]);
        Assert.Equal("orders", received.Headers["dapr-caller-app-id"]);
    }

    [Theory]
    [InlineData(404, "no such item")]
    [InlineData(500, "it broke")]
    [InlineData(418, "")]
    public async Task InvokeOverHttp_HttpAppAnswersAnError_CallerGetsTheAppsStatusAndBody(int statusCode, string body)
    {
        await using var app = await HttpTestApp.StartAsync();
        app.Respond = _ => new HttpTestAnswer(statusCode, body, body.Length > 0 ? "text/plain" : null);
        await using var sidecar = await HttpAppSidecar.StartAsync("orders", app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();

        using var response = await sidecar.Http.GetAsync(new Uri("/v1.0/invoke/orders/method/items/7", UriKind.Relative));

        Assert.Equal(statusCode, (int)response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Equal("GET", Assert.Single(app.Received).Method);
    }

    [Fact]
    public async Task InvokeService_HttpAppAnswersOk_DataAndDaprHttpStatusHeader()
    {
        await using var app = await HttpTestApp.StartAsync();
        app.Respond = _ => new HttpTestAnswer(200, "pong", "text/plain");
        await using var sidecar = await HttpAppSidecar.StartAsync("orders", app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using (channel)
        {
            using var call = dapr.InvokeServiceAsync(
                new InvokeServiceRequest { Id = "orders", Message = new InvokeRequest { Method = "ping", Data = new Any { Value = ByteString.CopyFromUtf8("hi") }, ContentType = "text/plain" } },
                deadline: DateTime.UtcNow.AddSeconds(30));

            var response = await call.ResponseAsync;
            var headers = await call.ResponseHeadersAsync;

            Assert.Equal("pong", response.Data.Value.ToStringUtf8());
            Assert.StartsWith("text/plain", response.ContentType, StringComparison.Ordinal);
            Assert.Equal("200", headers.GetValue("dapr-http-status"));
            var received = Assert.Single(app.Received);
            Assert.Equal("POST", received.Method);
            Assert.Equal("/ping", received.Path);
            Assert.Equal("hi", received.Text);
        }
    }

    [Theory]
    [InlineData(404, StatusCode.NotFound, "Not Found")]
    [InlineData(500, StatusCode.Unknown, "Internal Server Error")]
    [InlineData(400, StatusCode.Internal, "Bad Request")]
    [InlineData(503, StatusCode.Unavailable, "Service Unavailable")]
    public async Task InvokeService_HttpAppAnswersAnError_StatusAsDaprMapsIt(int httpStatus, StatusCode code, string message)
    {
        await using var app = await HttpTestApp.StartAsync();
        app.Respond = _ => new HttpTestAnswer(httpStatus, "details");
        await using var sidecar = await HttpAppSidecar.StartAsync("orders", app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using (channel)
        {
            var failure = await Assert.ThrowsAsync<RpcException>(() => dapr.InvokeServiceAsync(
                new InvokeServiceRequest { Id = "orders", Message = new InvokeRequest { Method = "fail", HttpExtension = new HttpExtension { Verb = HttpExtension.Types.Verb.Delete } } },
                deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);

            Assert.Equal(code, failure.StatusCode);
            Assert.Equal(message, failure.Status.Detail);
            Assert.Equal(httpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture), failure.Trailers.GetValue("dapr-http-status"));
            Assert.Equal("DELETE", app.Received.First().Method);
        }
    }

    [Fact]
    public async Task InvokeOverHttp_HttpAppDown_FailsNamingTheAppAddress()
    {
        var app = await HttpTestApp.StartAsync();
        await using var sidecar = await HttpAppSidecar.StartAsync("orders", app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        await app.DisposeAsync();

        using var response = await sidecar.Http.PostAsync(new Uri("/v1.0/invoke/orders/method/ping", UriKind.Relative), new StringContent("x"));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("\"errorCode\":\"ERR_DIRECT_INVOKE\"", body, StringComparison.Ordinal);
        Assert.Contains($"does not answer on http://127.0.0.1:{app.Port}", body, StringComparison.Ordinal);
    }
}
