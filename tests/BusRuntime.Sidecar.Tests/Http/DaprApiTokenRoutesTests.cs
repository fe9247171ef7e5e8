using System.Net;
using BusRuntime.Testing;
using static BusRuntime.Sidecar.Tests.Http.DaprHttp;

namespace BusRuntime.Sidecar.Tests.Http;

/// <summary>DAPR_API_TOKEN on the Dapr HTTP routes: every route wants the dapr-api-token header, the health routes stay open.</summary>
public sealed class DaprApiTokenRoutesTests
{
    private const string Token = "s3cret-token";

    public static TheoryData<string, string> Routes => new()
    {
        { "GET", "/v1.0/metadata" },
        { "PUT", "/v1.0/metadata/owner" },
        { "GET", "/v1.0/state/statestore/k" },
        { "POST", "/v1.0/state/statestore" },
        { "DELETE", "/v1.0/state/statestore/k" },
        { "POST", "/v1.0/state/statestore/bulk" },
        { "POST", "/v1.0/state/statestore/transaction" },
        { "POST", "/v1.0/publish/pubsub/orders" },
        { "POST", "/v1.0-alpha1/publish/bulk/pubsub/orders" },
        { "POST", "/v1.0/invoke/someone/method/m" },
        { "PUT", "/v1.0/publish/bulk/pubsub/orders" },
        { "GET", "/v1.0/secrets/envsecrets/PATH" },
        { "GET", "/v1.0/secrets/envsecrets/bulk" },
        { "GET", "/v1.0/configuration/configstore?key=k" },
        { "POST", "/v1.0-alpha1/lock/lockstore" },
        { "POST", "/v1.0-alpha1/unlock/lockstore" },
        { "POST", "/v1.0/bindings/anything" },
        { "POST", "/v1.0/shutdown" },
        { "POST", "/orders/7" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_TokenConfiguredAndNotSent_Returns401AndDoesNothing(string verb, string path)
    {
        await using var sidecar = await StartAsync("token-missing");

        using var request = new HttpRequestMessage(new HttpMethod(verb), Path(path)) { Content = Json("""[{"key":"k","value":1}]""") };
        using var response = await sidecar.Http.SendAsync(request);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "ERR_UNAUTHORIZED", "dapr-api-token");
        using var read = new HttpRequestMessage(HttpMethod.Get, Path("/v1.0/state/statestore/k"));
        read.Headers.Add("dapr-api-token", Token);
        using var stored = await sidecar.Http.SendAsync(read);
        Assert.Equal(HttpStatusCode.NoContent, stored.StatusCode);
    }

    [Fact]
    public async Task Route_WrongToken_Returns401()
    {
        await using var sidecar = await StartAsync("token-wrong");

        using var request = new HttpRequestMessage(HttpMethod.Get, Path("/v1.0/metadata"));
        request.Headers.Add("dapr-api-token", "guess");
        using var response = await sidecar.Http.SendAsync(request);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "ERR_UNAUTHORIZED", "dapr-api-token");
    }

    [Fact]
    public async Task Route_RightToken_IsServed()
    {
        await using var sidecar = await StartAsync("token-right");

        using var save = new HttpRequestMessage(HttpMethod.Post, Path("/v1.0/state/statestore")) { Content = Json("""[{"key":"k","value":1}]""") };
        save.Headers.Add("dapr-api-token", Token);
        using var saved = await sidecar.Http.SendAsync(save);
        using var read = new HttpRequestMessage(HttpMethod.Get, Path("/v1.0/state/statestore/k"));
        read.Headers.Add("dapr-api-token", Token);
        using var stored = await sidecar.Http.SendAsync(read);

        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        Assert.Equal("1", await stored.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invoke_WithTheToken_ReachesTheAppWithoutIt()
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync("token-invoke", new Dictionary<string, string?> { ["BusRuntime:ApiToken"] = Token }, app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, Path("/v1.0/invoke/token-invoke/method/m")) { Content = Json("{}") };
        request.Headers.Add("dapr-api-token", Token);
        request.Headers.Add("x-tenant", "acme");
        using var response = await sidecar.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(app.Received);
        Assert.Equal("acme", received.Headers["x-tenant"]);
        Assert.False(received.Headers.ContainsKey("dapr-api-token"), "the API token reached the invoked app");
    }

    [Theory]
    [InlineData("/v1.0/healthz")]
    [InlineData("/v1.0/healthz/outbound")]
    public async Task HealthRoute_TokenConfiguredAndNotSent_IsOpen(string path)
    {
        await using var sidecar = await StartAsync("token-health");
        await sidecar.WaitUntilReadyAsync();

        using var response = await sidecar.Http.GetAsync(Path(path));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private static Task<TestSidecar> StartAsync(string appId) =>
        TestSidecar.StartAsync(appId, new Dictionary<string, string?> { ["BusRuntime:ApiToken"] = Token });
}
