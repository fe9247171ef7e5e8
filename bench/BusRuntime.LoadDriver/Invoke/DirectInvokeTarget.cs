using BusRuntime.LoadDriver.Load;
using BusRuntime.Protos.Dapr.Common.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace BusRuntime.LoadDriver.Invoke;

/// <summary>(a) App A calls app B's OnInvoke directly over gRPC: the baseline with no sidecar and no bus.</summary>
public sealed class DirectInvokeTarget(Protos.Dapr.Runtime.V1.AppCallback.AppCallbackClient client, ByteString payload) : ILoadTarget
{
    public string Name => "(a) direct gRPC A->B";

    public async Task CallAsync(CancellationToken cancellationToken) =>
        await client.OnInvokeAsync(
            new InvokeRequest { Method = "echo", Data = new Any { Value = payload }, ContentType = "application/octet-stream" },
            deadline: DateTime.UtcNow.AddSeconds(10),
            cancellationToken: cancellationToken);
}
