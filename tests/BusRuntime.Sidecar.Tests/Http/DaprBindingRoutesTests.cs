using System.Net;
using BusRuntime.Testing;
using static BusRuntime.Sidecar.Tests.Http.DaprHttp;

namespace BusRuntime.Sidecar.Tests.Http;

/// <summary>POST|PUT /v1.0/bindings/{name} on a bindings.http component whose target is a listener of the test.</summary>
public sealed class DaprBindingRoutesTests : IAsyncLifetime
{
    private readonly WebhookTarget target = WebhookTarget.Start();
    private TestSidecar? sidecar;

    private HttpClient Http => sidecar!.Http;

    public async Task InitializeAsync() => sidecar = await TestSidecar.StartAsync("http-bindings", target.WebhookBinding());

    public async Task DisposeAsync()
    {
        if (sidecar is not null)
        {
            await sidecar.DisposeAsync();
        }

        target.Dispose();
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    public async Task Invoke_JsonData_TargetGetsItAndTheAnswerCarriesItsBodyAndMetadataHeaders(string verb)
    {
        var served = target.ServeOnceAsync(HttpStatusCode.Created, "{\"id\":7}");
        using var request = new HttpRequestMessage(new HttpMethod(verb), Path("/v1.0/bindings/webhook"))
        {
            Content = Json("""{"data":{"n":1},"metadata":{"path":"/orders","x-tenant":"acme"},"operation":"post"}"""),
        };

        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = await served.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("{\"id\":7}", await response.Content.ReadAsStringAsync());
        Assert.Equal("201", response.Headers.GetValues("metadata.statusCode").Single());
        Assert.Equal(("POST", "/hooks/orders", "{\"n\":1}", "acme"), (received.Method, received.Path, received.Text, received.Headers["x-tenant"]));
    }

    [Fact]
    public async Task Invoke_StringData_TargetGetsItsJsonTextWithQuotesAsDapr()
    {
        var served = target.ServeOnceAsync(HttpStatusCode.OK, "");

        using var response = await Http.PostAsync(Path("/v1.0/bindings/webhook"), Json("""{"Data":"hello","Operation":"create"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = await served.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(("POST", "\"hello\""), (received.Method, received.Text));
    }

    [Fact]
    public async Task Invoke_UnknownBinding_Returns500InvokeOutputBindingAsDapr()
    {
        using var response = await Http.PostAsync(Path("/v1.0/bindings/nobinding"), Json("""{"operation":"get"}"""));

        await AssertErrorAsync(response, HttpStatusCode.InternalServerError, "ERR_INVOKE_OUTPUT_BINDING", "'nobinding' is not a configured binding");
    }

    [Theory]
    [InlineData("""{"operation":"fly"}""", HttpStatusCode.BadRequest, "ERR_INVOKE_OUTPUT_BINDING", "operation 'fly' is not one binding 'webhook' takes")]
    [InlineData("""{"operation":"post","metadata":{"n":1}}""", HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "metadata['n'] is a JSON number")]
    [InlineData("""{"operation":3}""", HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "operation is a JSON number")]
    [InlineData("""[]""", HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "must be an object")]
    [InlineData("""{"operation":"post""", HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "the body is not JSON")]
    public async Task Invoke_InvalidRequest_Returns400NamingWhatIsWrong(string body, HttpStatusCode status, string errorCode, string messagePart)
    {
        using var response = await Http.PostAsync(Path("/v1.0/bindings/webhook"), Json(body));

        await AssertErrorAsync(response, status, errorCode, messagePart);
    }

    [Fact]
    public async Task Invoke_DataOverTheLimit_Returns400InvokeOutputBinding()
    {
        await using var small = await TestSidecar.StartAsync("http-bindings-small", new Dictionary<string, string?>
        {
            ["BusRuntime:MaxPayloadBytes"] = "16",
            ["BusRuntime:Components:0:Name"] = "webhook",
            ["BusRuntime:Components:0:Type"] = "bindings.http",
            ["BusRuntime:Components:0:Metadata:url"] = "http://127.0.0.1:1/hooks",
        });

        using var response = await small.Http.PostAsync(Path("/v1.0/bindings/webhook"), Json($$"""{"operation":"post","data":"{{new string('x', 64)}}"}"""));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ERR_INVOKE_OUTPUT_BINDING", "over the maximum of 16 bytes");
    }
}
