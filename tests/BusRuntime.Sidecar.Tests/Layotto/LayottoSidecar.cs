using BusRuntime.Testing;
using Grpc.Net.Client;
using LayottoClient = BusRuntime.Protos.Layotto.Runtime.V1.Runtime.RuntimeClient;

namespace BusRuntime.Sidecar.Tests.Layotto;

/// <summary>A sidecar on its embedded default with a client generated from Layotto's protos; tests use their own keys.</summary>
public sealed class LayottoSidecar() : ApiSidecar<LayottoClient>(AppId, channel => new LayottoClient(channel))
{
    public const string AppId = "layotto-api";

    /// <summary>A Layotto API client for any sidecar; dispose the channel with the test.</summary>
    public static (GrpcChannel Channel, LayottoClient Client) ClientFor(TestSidecar sidecar) => Connect(sidecar, channel => new LayottoClient(channel));
}
