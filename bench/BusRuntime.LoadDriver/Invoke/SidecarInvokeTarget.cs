using BusRuntime.LoadDriver.Load;
using BusRuntime.Protos.V1;
using Google.Protobuf;

namespace BusRuntime.LoadDriver.Invoke;

/// <summary>(b) App A calls InvokeService on its sidecar: sidecar A → RabbitMQ → sidecar B → app B's OnInvoke → back.</summary>
public sealed class SidecarInvokeTarget(Runtime.RuntimeClient client, string targetAppId, ByteString payload) : ILoadTarget
{
    public string Name => "(b) A->sidecar->bus->sidecar->B";

    public async Task CallAsync(CancellationToken cancellationToken) =>
        await client.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = targetAppId, Method = "echo", Data = payload, ContentType = "application/octet-stream" },
            deadline: DateTime.UtcNow.AddSeconds(10),
            cancellationToken: cancellationToken);
}
