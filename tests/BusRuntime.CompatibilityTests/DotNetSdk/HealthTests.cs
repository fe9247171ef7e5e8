using System.Globalization;
using BusRuntime.Testing;
using Dapr.Client;

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>The Dapr .NET SDK's health calls (HTTP: /v1.0/healthz and /v1.0/healthz/outbound).</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task CheckHealthAsync_ReadySidecar_IsTrue()
    {
        await using var sidecar = await TestSidecar.StartAsync("sdk-health");
        await sidecar.WaitUntilReadyAsync();
        using var client = ClientFor(sidecar.HttpPort);

        Assert.True(await client.CheckHealthAsync());
        Assert.True(await client.CheckOutboundHealthAsync());
    }

    [Fact]
    public async Task CheckHealthAsync_StoresNeverUp_IsFalse()
    {
        // A PostgreSQL address nobody listens on: the stores never come up.
        await using var sidecar = await TestSidecar.StartAsync("sdk-unhealthy", new Dictionary<string, string?>
        {
            ["BusRuntime:Postgres"] = $"Host=127.0.0.1;Port={FreePort.Next()};Username=nobody;Password=none;Database=none;Timeout=1",
        });
        using var client = ClientFor(sidecar.HttpPort);

        Assert.False(await client.CheckHealthAsync());
        Assert.False(await client.CheckOutboundHealthAsync());
    }

    [Fact]
    public async Task CheckHealthAsync_ApiTokenConfigured_OpenWithoutTheToken()
    {
        await using var sidecar = await TestSidecar.StartAsync("sdk-health-token", new Dictionary<string, string?> { ["BusRuntime:ApiToken"] = "s3cret" });
        await sidecar.WaitUntilReadyAsync();
        using var client = ClientFor(sidecar.HttpPort);

        Assert.True(await client.CheckHealthAsync());
        Assert.True(await client.CheckOutboundHealthAsync());
    }

    [Fact]
    public async Task WaitForSidecarAsync_SidecarStartsAfterTheAppAsks_Completes()
    {
        var httpPort = FreePort.Next();
        using var client = ClientFor(httpPort);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var waiting = client.WaitForSidecarAsync(patience.Token);
        Assert.False(waiting.IsCompleted);
        await using var sidecar = await TestSidecar.StartAsync("sdk-wait", new Dictionary<string, string?>
        {
            ["BusRuntime:HttpPort"] = httpPort.ToString(CultureInfo.InvariantCulture),
        });
        await waiting;

        Assert.True(await client.CheckHealthAsync());
    }

    [Fact]
    public async Task WaitForSidecarAsync_NoSidecar_EndsWhenTheAppStopsWaiting()
    {
        using var client = ClientFor(FreePort.Next());
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.WaitForSidecarAsync(patience.Token));
    }

    private static DaprClient ClientFor(int httpPort) =>
        new DaprClientBuilder().UseHttpEndpoint($"http://127.0.0.1:{httpPort}").UseGrpcEndpoint($"http://127.0.0.1:{FreePort.Next()}").Build();
}
