using System.Net;
using BusRuntime.Protos.V1;
using BusRuntime.Sidecar.Tests.Commands;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Security;

/// <summary>A sidecar with an API token: every gRPC call and HTTP route but health and readiness wants the dapr-api-token header.</summary>
public sealed class ApiTokenTests : IAsyncLifetime
{
    private const string Token = "s3cret-t0ken";

    private TestSidecar? sidecar;

    private TestSidecar Sidecar => sidecar ?? throw new InvalidOperationException("The sidecar has not started.");

    private static Metadata WithToken(string token) => new() { { "dapr-api-token", token } };

    public async Task InitializeAsync() =>
        sidecar = await TestSidecar.StartAsync("guarded", new Dictionary<string, string?> { ["BusRuntime:ApiToken"] = Token });

    public async Task DisposeAsync()
    {
        if (sidecar is not null)
        {
            await sidecar.DisposeAsync();
        }
    }

    [Fact]
    public async Task UnaryCall_WithoutToken_IsUnauthenticatedAndChangesNothing()
    {
        var key = $"k-{Guid.NewGuid():N}";

        var exception = await Assert.ThrowsAsync<RpcException>(() => Sidecar.Runtime.SaveStateAsync(Save(key)).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, exception.StatusCode);
        Assert.Contains("dapr-api-token", exception.Status.Detail, StringComparison.Ordinal);
        var stored = await Sidecar.Runtime.GetStateAsync(new GetStateRequest { StoreName = "statestore", Key = key }, WithToken(Token));
        Assert.True(stored.Data.IsEmpty);
    }

    [Fact]
    public async Task UnaryCall_WrongToken_IsUnauthenticated()
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() =>
            Sidecar.Runtime.GetStateAsync(new GetStateRequest { StoreName = "statestore", Key = "k" }, WithToken(Token + "x")).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, exception.StatusCode);
    }

    [Fact]
    public async Task UnaryCall_WithToken_IsServed()
    {
        var key = $"k-{Guid.NewGuid():N}";

        await Sidecar.Runtime.SaveStateAsync(Save(key), WithToken(Token));
        var stored = await Sidecar.Runtime.GetStateAsync(new GetStateRequest { StoreName = "statestore", Key = key }, WithToken(Token));

        Assert.Equal("v", stored.Data.ToStringUtf8());
    }

    [Fact]
    public async Task StreamingCall_WithoutToken_IsUnauthenticated()
    {
        using var call = Sidecar.Runtime.SubscribeTopicEvents();

        var exception = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.Unauthenticated, exception.StatusCode);
    }

    [Fact]
    public async Task OperationsCall_WithoutToken_IsUnauthenticated()
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() => Sidecar.Operations.ListMessagesAsync(new ListMessagesRequest { Limit = 1 }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, exception.StatusCode);
    }

    [Theory]
    [InlineData("/v1.0/healthz")]
    [InlineData("/actuator/health/readiness")]
    [InlineData("/actuator/health/liveness")]
    public async Task HealthRoutes_WithoutToken_AreOpen(string path)
    {
        await Sidecar.WaitUntilReadyAsync();

        using var response = await Sidecar.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task Metrics_WithoutToken_Is401AndWithTokenIsServed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("dapr-api-token", Token);

        using var without = await Sidecar.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var with = await Sidecar.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }

    [Fact]
    public async Task OtherHttpRoute_WithoutToken_Is401WithDaprErrorBody()
    {
        using var response = await Sidecar.Http.GetAsync(new Uri("/actuator/info", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("ERR_UNAUTHORIZED", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherHttpRoute_WithToken_IsServed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/actuator/info");
        request.Headers.Add("dapr-api-token", Token);

        using var response = await Sidecar.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("guarded", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DaprApiTokenSetting_WithoutOwnSetting_IsTheToken()
    {
        await using var dapr = await TestSidecar.StartAsync("dapr-token", new Dictionary<string, string?> { ["DAPR_API_TOKEN"] = "from-dapr" });

        var without = await Assert.ThrowsAsync<RpcException>(() =>
            dapr.Runtime.GetStateAsync(new GetStateRequest { StoreName = "statestore", Key = "k" }).ResponseAsync);
        var with = await dapr.Runtime.GetStateAsync(new GetStateRequest { StoreName = "statestore", Key = "k" }, WithToken("from-dapr"));

        Assert.Equal(StatusCode.Unauthenticated, without.StatusCode);
        Assert.True(with.Data.IsEmpty);
    }

    [Fact]
    public async Task BuiltCommand_TokenInEnvironment_IsSentAndMissingTokenIsExplained()
    {
        var address = $"http://127.0.0.1:{Sidecar.GrpcPort}";

        var (deniedExit, _, deniedError) = await BuiltCommand.RunAsync(null, "messages", "list", "--sidecar", address);
        var (allowedExit, allowedOutput, allowedError) = await BuiltCommand.RunAsync(new Dictionary<string, string?> { ["DAPR_API_TOKEN"] = Token }, "messages", "list", "--sidecar", address);

        Assert.Equal(1, deniedExit);
        Assert.Contains("DAPR_API_TOKEN", deniedError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", deniedError, StringComparison.Ordinal);
        Assert.Equal(0, allowedExit);
        Assert.Equal("", allowedError);
        Assert.Contains("message(s)", allowedOutput, StringComparison.Ordinal);
    }

    private static SaveStateRequest Save(string key) => new()
    {
        StoreName = "statestore",
        States = { new StateItem { Key = key, Value = ByteString.CopyFromUtf8("v") } },
    };
}
