using BusRuntime.Testing;
using Grpc.Net.Client;
using LayottoClient = BusRuntime.Protos.Layotto.Runtime.V1.Runtime.RuntimeClient;

namespace BusRuntime.Sidecar.Tests.Layotto;

/// <summary>A sidecar on its embedded default with a client generated from Layotto's protos; tests use their own keys.</summary>
public sealed class LayottoSidecar : IAsyncLifetime
{
    public const string AppId = "layotto-api";

    private TestSidecar? sidecar;
    private GrpcChannel? channel;
    private LayottoClient? client;

    public TestSidecar Sidecar => sidecar ?? throw new InvalidOperationException("The sidecar has not started.");

    public LayottoClient Client => client ?? throw new InvalidOperationException("The sidecar has not started.");

    /// <summary>A Layotto API client for any sidecar; dispose the channel with the test.</summary>
    public static (GrpcChannel Channel, LayottoClient Client) ClientFor(TestSidecar sidecar)
    {
        ArgumentNullException.ThrowIfNull(sidecar);
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{sidecar.GrpcPort}");
        return (channel, new LayottoClient(channel));
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
