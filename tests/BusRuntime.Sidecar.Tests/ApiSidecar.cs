using BusRuntime.Testing;
using Grpc.Net.Client;

namespace BusRuntime.Sidecar.Tests;

/// <summary>
/// A sidecar on its embedded default, shared by a test class, with a client of one of its gRPC APIs (Dapr's,
/// Layotto's); tests use their own keys.
/// </summary>
public abstract class ApiSidecar<TClient>(string appId, Func<GrpcChannel, TClient> newClient) : IAsyncLifetime
    where TClient : class
{
    private TestSidecar? sidecar;
    private GrpcChannel? channel;
    private TClient? client;

    public TestSidecar Sidecar => sidecar ?? throw new InvalidOperationException("The sidecar has not started.");

    public TClient Client => client ?? throw new InvalidOperationException("The sidecar has not started.");

    public async Task InitializeAsync()
    {
        sidecar = await TestSidecar.StartAsync(appId, new Dictionary<string, string?> { ["BusRuntime:MaxPayloadBytes"] = "1024" });
        (channel, client) = Connect(sidecar, newClient);
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

    /// <summary>A client for any sidecar; dispose the channel with the test.</summary>
    protected static (GrpcChannel Channel, TClient Client) Connect(TestSidecar sidecar, Func<GrpcChannel, TClient> newClient)
    {
        ArgumentNullException.ThrowIfNull(sidecar);
        ArgumentNullException.ThrowIfNull(newClient);
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{sidecar.GrpcPort}");
        return (channel, newClient(channel));
    }
}
