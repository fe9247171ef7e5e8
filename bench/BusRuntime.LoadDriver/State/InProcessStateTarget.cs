using BusRuntime.Core.State;
using BusRuntime.LoadDriver.Load;

namespace BusRuntime.LoadDriver.State;

/// <summary>The store called in this process, as the sidecar's StateManager calls it: no gRPC, no sidecar.</summary>
public sealed class InProcessStateTarget(IStateStore store, bool save, int keys, byte[] value) : ILoadTarget
{
    public string Name => save ? "save, in-process store" : "get, in-process store";

    public async Task CallAsync(CancellationToken cancellationToken)
    {
        var key = $"{StateBenchmarkSettings.AppId}||key-{Random.Shared.Next(keys)}";
        if (save)
        {
            await store.ApplyAsync([StateWrite.Upsert(key, value, StatePrecondition.None, StateExpiry.Keep)], cancellationToken);
        }
        else
        {
            await store.GetAsync([key], cancellationToken);
        }
    }
}
