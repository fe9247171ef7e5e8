using BusRuntime.Testing;
using Grpc.Net.Client;
using DaprClient = BusRuntime.Protos.Dapr.Runtime.V1.Dapr.DaprClient;

namespace BusRuntime.Sidecar.Tests.Dapr;

/// <summary>A sidecar on its embedded default with a client of its Dapr API; tests use their own keys.</summary>
public sealed class DaprSidecar() : ApiSidecar<DaprClient>(AppId, channel => new DaprClient(channel))
{
    public const string AppId = "dapr-api";

    /// <summary>A Dapr API client for any sidecar; dispose the channel with the test.</summary>
    public static (GrpcChannel Channel, DaprClient Client) ClientFor(TestSidecar sidecar) => Connect(sidecar, channel => new DaprClient(channel));
}
