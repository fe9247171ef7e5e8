using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;
using static BusRuntime.Sidecar.Tests.Http.DaprHttp;

namespace BusRuntime.Sidecar.Tests.Http;

/// <summary>/v1.0/invoke on a sidecar that calls its own app (the in-memory bus reaches no other).</summary>
public sealed class DaprInvokeRoutesTests
{
    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task Invoke_AnyVerb_ReachesTheAppWithVerbQueryBodyContentTypeAndHeaders(string verb)
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await StartAsync("http-invoke", app);
        using var request = new HttpRequestMessage(new HttpMethod(verb), Path("/v1.0/invoke/http-invoke/method/orders/7?expand=lines&x=1"));
        if (verb != "GET")
        {
            request.Content = new StringContent("{\"n\":1}", Encoding.UTF8, "application/json");
        }

        request.Headers.Add("x-tenant", "acme");
        using var response = await sidecar.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(app.Received);
        Assert.Equal("orders/7", received.Request.Method);
        Assert.Equal(verb, received.Request.HttpExtension.Verb.ToString().ToUpperInvariant());
        Assert.Equal("expand=lines&x=1", received.Request.HttpExtension.Querystring);
        Assert.Equal("acme", received.Headers["x-tenant"]);
        if (verb != "GET")
        {
            Assert.Equal("{\"n\":1}", received.Request.Data.Value.ToStringUtf8());
            Assert.StartsWith("application/json", received.Request.ContentType, StringComparison.Ordinal);
            Assert.Equal("{\"n\":1}", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Invoke_AppAnswers_BodyContentTypeAndHeadersComeBack()
    {
        await using var app = await InvokeApp.StartAsync();
        app.Respond = async (_, context) =>
        {
            await context.WriteResponseHeadersAsync(new Metadata { { "x-answered-by", "replica-1" } });
            return InvokeApp.Answer(ByteString.CopyFromUtf8("<ok/>"), "application/xml");
        };
        await using var sidecar = await StartAsync("http-answer", app);

        using var response = await sidecar.Http.PostAsync(Path("/v1.0/invoke/http-answer/method/ping"), new StringContent("hi"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("<ok/>", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("replica-1", Assert.Single(response.Headers.GetValues("x-answered-by")));
    }

    [Theory]
    [InlineData(StatusCode.NotFound, HttpStatusCode.NotFound)]
    [InlineData(StatusCode.InvalidArgument, HttpStatusCode.BadRequest)]
    [InlineData(StatusCode.FailedPrecondition, HttpStatusCode.BadRequest)]
    [InlineData(StatusCode.PermissionDenied, HttpStatusCode.Forbidden)]
    [InlineData(StatusCode.AlreadyExists, HttpStatusCode.Conflict)]
    [InlineData(StatusCode.Unimplemented, HttpStatusCode.NotImplemented)]
    public async Task Invoke_AppAnswersAStatus_BecomesDaprsHttpStatusWithTheStatusAsJson(StatusCode code, HttpStatusCode expected)
    {
        await using var app = await InvokeApp.StartAsync();
        app.Respond = (_, _) => throw new RpcException(new Status(code, "order 7 is gone"));
        await using var sidecar = await StartAsync("http-status", app);

        using var response = await sidecar.Http.GetAsync(Path("/v1.0/invoke/http-status/method/orders/7"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal((int)code, body.RootElement.GetProperty("code").GetInt32());
        Assert.Equal("order 7 is gone", body.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Invoke_NoReplicaOfTheTarget_Returns500DirectInvoke()
    {
        await using var sidecar = await TestSidecar.StartAsync("http-lonely");

        using var response = await sidecar.Http.GetAsync(Path("/v1.0/invoke/nobody/method/m"));

        await AssertErrorAsync(response, HttpStatusCode.InternalServerError, "ERR_DIRECT_INVOKE", "no replica of app 'nobody'");
    }

    [Fact]
    public async Task Invoke_InvalidAppId_Returns400DirectInvoke()
    {
        await using var sidecar = await TestSidecar.StartAsync("http-badid");

        using var response = await sidecar.Http.GetAsync(Path("/v1.0/invoke/bad.id/method/m"));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ERR_DIRECT_INVOKE", "app_id 'bad.id'");
    }

    [Fact]
    public async Task Invoke_NoMethod_Returns400DirectInvoke()
    {
        await using var sidecar = await TestSidecar.StartAsync("http-nomethod");

        using var response = await sidecar.Http.GetAsync(Path("/v1.0/invoke/http-nomethod/method/"));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ERR_DIRECT_INVOKE", "method is empty");
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("GET")]
    public async Task InvokeByHeader_AnyPath_ReachesTheAppNamedWithThePathAsMethodAndWithoutTheHeader(string verb)
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await StartAsync("http-header", app);
        using var request = new HttpRequestMessage(new HttpMethod(verb), Path("/orders/7?expand=lines"));
        request.Headers.Add("dapr-app-id", "http-header");
        request.Headers.Add("x-tenant", "acme");

        using var response = await sidecar.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(app.Received);
        Assert.Equal("orders/7", received.Request.Method);
        Assert.Equal(verb, received.Request.HttpExtension.Verb.ToString().ToUpperInvariant());
        Assert.Equal("expand=lines", received.Request.HttpExtension.Querystring);
        Assert.Equal("acme", received.Headers["x-tenant"]);
        Assert.False(received.Headers.ContainsKey("dapr-app-id"));
    }

    [Fact]
    public async Task InvokeByBasicAuth_UserDaprAppId_ReachesTheAppItsPasswordNamesWithoutTheAuthorizationHeader()
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await StartAsync("http-basic", app);
        using var request = new HttpRequestMessage(HttpMethod.Post, Path("/orders/8"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("dapr-app-id:http-basic")));

        using var response = await sidecar.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(app.Received);
        Assert.Equal("orders/8", received.Request.Method);
        Assert.False(received.Headers.ContainsKey("authorization"));
    }

    [Fact]
    public async Task InvokeByBasicAuth_AnotherUser_Returns404DirectInvokeAndCallsNoApp()
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await StartAsync("http-basic-other", app);
        using var request = new HttpRequestMessage(HttpMethod.Post, Path("/orders/8"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:http-basic-other")));

        using var response = await sidecar.Http.SendAsync(request);

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "ERR_DIRECT_INVOKE", "(or basic-auth user dapr-app-id)");
        Assert.Empty(app.Received);
    }

    [Fact]
    public async Task InvokeByHeader_OnAPathARouteServes_TheRouteAnswersAndNoAppIsCalled()
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await StartAsync("http-header-route", app);
        using var request = new HttpRequestMessage(HttpMethod.Get, Path("/v1.0/metadata"));
        request.Headers.Add("dapr-app-id", "http-header-route");

        using var response = await sidecar.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"id\":\"http-header-route\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(app.Received);
    }

    [Fact]
    public async Task NoRouteAndNoAppIdHeader_Returns404DirectInvokeSayingSo()
    {
        await using var sidecar = await TestSidecar.StartAsync("http-noroute");

        using var response = await sidecar.Http.PostAsync(Path("/orders/7"), Json("{}"));

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "ERR_DIRECT_INVOKE", "no route serves POST '/orders/7', and the request has no dapr-app-id header");
    }

    [Fact]
    public async Task InvokeByHeader_AppIdWithADot_Returns400DirectInvoke()
    {
        await using var sidecar = await TestSidecar.StartAsync("http-header-badid");
        using var request = new HttpRequestMessage(HttpMethod.Get, Path("/m"));
        request.Headers.Add("dapr-app-id", "bad.id");

        using var response = await sidecar.Http.SendAsync(request);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ERR_DIRECT_INVOKE", "app_id 'bad.id'");
    }

    private static async Task<TestSidecar> StartAsync(string appId, InvokeApp app)
    {
        var sidecar = await TestSidecar.StartAsync(appId, appPort: app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        return sidecar;
    }

    [Fact]
    public async Task InvokeOverHttp_GrpcAppDown_Returns500DirectInvokeNamingTheAppAddress()
    {
        var app = await InvokeApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync("grpc-down", appPort: app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        await app.DisposeAsync();

        using var response = await sidecar.Http.PostAsync(new Uri("/v1.0/invoke/grpc-down/method/charge", UriKind.Relative), new StringContent("x"));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("\"errorCode\":\"ERR_DIRECT_INVOKE\"", body, StringComparison.Ordinal);
        Assert.Contains($"app 'grpc-down' does not answer on http://127.0.0.1:{app.Port}", body, StringComparison.Ordinal);
    }
}
