using BusRuntime.Core.AppConfiguration;
using Grpc.Core;
using LayottoV1 = BusRuntime.Protos.Layotto.Runtime.V1;

namespace BusRuntime.Grpc.AppConfiguration;

/// <summary>
/// The response side of one Layotto SubscribeConfiguration stream, which several subscriptions share: each watch's
/// changes are written in turn, one write at a time. A write is cancelled only with the call: gRPC resets the whole
/// stream (CANCEL) when a write in progress is cancelled, which would hide the status the call ends with.
/// </summary>
internal sealed class LayottoConfigurationStream(
    IServerStreamWriter<LayottoV1.SubscribeConfigurationResponse> responseStream, CancellationToken stop, CancellationToken callCancelled) : IAsyncDisposable
{
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly List<(ConfigurationWatch Watch, Task Writing)> subscriptions = [];
    private readonly TaskCompletionSource failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Faults with the first failure of a subscription (its first read of the store, or a write); never completes otherwise.</summary>
    public Task Failed => failed.Task;

    public int Count => subscriptions.Count;

    public void Add(string storeName, ConfigurationWatch watch) => subscriptions.Add((watch, WriteAsync(storeName, watch)));

    public async ValueTask DisposeAsync()
    {
        foreach (var (watch, writing) in subscriptions)
        {
            await writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            watch.Dispose();
        }

        writeLock.Dispose();
    }

    private async Task WriteAsync(string storeName, ConfigurationWatch watch)
    {
        try
        {
            await foreach (var items in watch.ReadAllAsync(stop).ConfigureAwait(false))
            {
                var response = new LayottoV1.SubscribeConfigurationResponse { StoreName = storeName, AppId = watch.Subscription.AppId };
                response.Items.AddRange(items.Select(LayottoConfigurationMapping.ToWire));
                await writeLock.WaitAsync(stop).ConfigureAwait(false);
                try
                {
                    await responseStream.WriteAsync(response, callCancelled).ConfigureAwait(false);
                }
                finally
                {
                    writeLock.Release();
                }
            }
        }
        catch (Exception exception) when (!stop.IsCancellationRequested)
        {
            failed.TrySetException(exception);
        }
    }
}
