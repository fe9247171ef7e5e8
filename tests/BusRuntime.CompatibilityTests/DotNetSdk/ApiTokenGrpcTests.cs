using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Dapr;
using Grpc.Core;

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>DAPR_API_TOKEN semantics through the Dapr .NET SDK: a sidecar with a token serves the SDK built with it and refuses one without.</summary>
public sealed class ApiTokenGrpcTests : IAsyncLifetime
{
    private const string Token = "sdk-t0ken";

    private TestSidecar? sidecar;

    private TestSidecar Sidecar => sidecar!;

    public async Task InitializeAsync() =>
        sidecar = await TestSidecar.StartAsync("sdk-guarded", new Dictionary<string, string?> { ["BusRuntime:ApiToken"] = Token });

    public async Task DisposeAsync()
    {
        if (sidecar is not null)
        {
            await sidecar.DisposeAsync();
        }
    }

    [Fact]
    public async Task StateAndPublish_ClientWithTheToken_Served()
    {
        using var dapr = SdkClients.For(Sidecar, Token);
        var key = $"k-{Guid.NewGuid():N}";

        await dapr.SaveStateAsync("statestore", key, "guarded value");
        var read = await dapr.GetStateAsync<string>("statestore", key);
        await dapr.PublishEventAsync("pubsub", "guarded-topic", new { Id = 1 });
        var metadata = await dapr.GetMetadataAsync();

        Assert.Equal("guarded value", read);
        Assert.Equal("sdk-guarded", metadata.Id);
    }

    [Fact]
    public async Task SaveState_ClientWithoutToken_UnauthenticatedAndNothingSaved()
    {
        using var withoutToken = SdkClients.For(Sidecar);
        using var withToken = SdkClients.For(Sidecar, Token);
        var key = $"k-{Guid.NewGuid():N}";

        var error = await Assert.ThrowsAsync<DaprException>(() => withoutToken.SaveStateAsync("statestore", key, "sneaky"));

        var rpc = Assert.IsType<RpcException>(error.InnerException);
        Assert.Equal(StatusCode.Unauthenticated, rpc.StatusCode);
        Assert.Contains("dapr-api-token", rpc.Status.Detail, StringComparison.Ordinal);
        Assert.Null(await withToken.GetStateAsync<string>("statestore", key));
    }

    [Fact]
    public async Task SaveState_ClientWithAnotherToken_Unauthenticated()
    {
        using var dapr = SdkClients.For(Sidecar, "not-the-token");

        var error = await Assert.ThrowsAsync<DaprException>(() => dapr.SaveStateAsync("statestore", $"k-{Guid.NewGuid():N}", "x"));

        Assert.Equal(StatusCode.Unauthenticated, Assert.IsType<RpcException>(error.InnerException).StatusCode);
    }
}
