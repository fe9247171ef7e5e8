using BusRuntime.Protos.V1;
using BusRuntime.Sidecar.Tests.HttpApp;
using BusRuntime.Testing;

namespace BusRuntime.Sidecar.Tests.Security;

/// <summary>Dapr's app API token: every call the sidecar makes to its app carries it in dapr-api-token, so the app can tell its sidecar's calls from others'.</summary>
public sealed class AppApiTokenTests
{
    [Fact]
    public async Task InvokeOverHttp_AppApiTokenFromDaprsVariable_TheHttpAppGetsItInsteadOfTheCallersToken()
    {
        await using var app = await HttpTestApp.StartAsync();
        await using var sidecar = await HttpAppSidecar.StartAsync("tokened", app.Port, new Dictionary<string, string?> { ["APP_API_TOKEN"] = "app-secret" });
        await sidecar.WaitUntilServingInvocationsAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1.0/invoke/tokened/method/orders");
        request.Headers.Add("dapr-api-token", "callers-own");

        using var response = await sidecar.Http.SendAsync(request);

        response.EnsureSuccessStatusCode();
        Assert.Equal("app-secret", Assert.Single(app.Received).Headers["dapr-api-token"]);
    }

    [Fact]
    public async Task InvokeOverHttp_NoAppApiToken_TheCallersTokenDoesNotReachTheApp()
    {
        await using var app = await HttpTestApp.StartAsync();
        await using var sidecar = await HttpAppSidecar.StartAsync("untokened", app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1.0/invoke/untokened/method/orders");
        request.Headers.Add("dapr-api-token", "callers-own");

        using var response = await sidecar.Http.SendAsync(request);

        response.EnsureSuccessStatusCode();
        Assert.False(Assert.Single(app.Received).Headers.ContainsKey("dapr-api-token"));
    }

    [Fact]
    public async Task InvokeService_AppApiTokenSet_TheGrpcAppGetsItInTheCallsMetadata()
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync("grpctokened", new Dictionary<string, string?> { ["BusRuntime:AppApiToken"] = "grpc-secret" }, app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();

        await sidecar.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = "grpctokened", Method = "ping" }, deadline: DateTime.UtcNow.AddSeconds(30));

        Assert.Equal("grpc-secret", Assert.Single(app.Received).Headers["dapr-api-token"]);
    }
}
