using BusRuntime.LoadDriver.Load;
using BusRuntime.Protos.V1;
using Google.Protobuf;

namespace BusRuntime.LoadDriver.State;

/// <summary>What an app does: GetState or SaveState on the sidecar's gRPC API, which calls the same kind of store.</summary>
public sealed class SidecarStateTarget(Runtime.RuntimeClient client, bool save, int keys, ByteString value) : ILoadTarget
{
    private const string StoreName = "statestore";

    public string Name => save ? "save, sidecar gRPC" : "get, sidecar gRPC";

    public async Task CallAsync(CancellationToken cancellationToken)
    {
        var key = $"key-{Random.Shared.Next(keys)}";
        if (save)
        {
            await client.SaveStateAsync(new SaveStateRequest { StoreName = StoreName, States = { new StateItem { Key = key, Value = value } } }, cancellationToken: cancellationToken);
        }
        else
        {
            await client.GetStateAsync(new GetStateRequest { StoreName = StoreName, Key = key }, cancellationToken: cancellationToken);
        }
    }
}
