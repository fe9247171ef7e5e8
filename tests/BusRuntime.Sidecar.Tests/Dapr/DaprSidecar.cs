using BusRuntime.Testing;
using Grpc.Net.Client;
using DaprClient = BusRuntime.Protos.Dapr.Runtime.V1.Dapr.DaprClient;

namespace BusRuntime.Sidecar.Tests.Dapr;

/// <summary>A sidecar on its embedded default with a client of its Dapr API; tests use their own keys.</summary>
public sealed class DaprSidecar : IAsyncLifetime
{
    public const string AppId = "dapr-api";

    private TestSidecar? sidecar;
    private GrpcChannel? channel;
    private DaprClient? client;

    public TestSidecar Sidecar => sidecar ?? throw new InvalidOperationException("The sidecar has not started.");

    public DaprClient Client => client ?? throw new InvalidOperationException("The sidecar has not started.");

    /// <summary>A Dapr API client for any sidecar; dispose the channel with the test.</summary>
    public static (GrpcChannel Channel, DaprClient Client) ClientFor(TestSidecar sidecar)
    {
        ArgumentNullException.ThrowIfNull(sidecar);
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{sidecar.GrpcPort}");
        return (channel, new DaprClient(channel));
    }

    public async Task InitializeAsync()
    {
        sidecar = await TestSidecar.StartAsync(AppId, new Dictionary<string, string?> { ["BusRuntime:MaxPayloadBytes"] = "1024" });
        (channel, client) = ClientFor(sidecar);
    }

    public async Task DisposeAsync()
    {
        channel?.Dispose();
        if (sidecar is not null)
        {
            await sidecar.DisposeAsync();
        }
    }

    /// <summary>A key no other test uses.</summary>
    public static string Key(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
