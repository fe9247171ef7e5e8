using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.Resources;

/// <summary>
/// Hot reload: looks at the resource files every <c>interval</c> and, when one was changed, added or removed, reads
/// them all again and hands what they declare to the <see cref="ComponentReloader"/>. Files that no longer read leave
/// the running components in place, the precise error logged. A replaced store is disposed (when it is disposable)
/// <see cref="DisposeAfter"/> later, so that the calls that started on it complete on it.
/// </summary>
public sealed class ResourceWatcher(
    ResourceSet initial,
    Func<string> fingerprint,
    Func<ResourceSet> load,
    ComponentReloader reloader,
    TimeSpan interval,
    TimeProvider timeProvider,
    ILogger logger) : BackgroundService
{
    /// <summary>How long a replaced store stays usable for the calls that hold it.</summary>
    public static readonly TimeSpan DisposeAfter = TimeSpan.FromMinutes(2);

    private ResourceSet running = initial;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seen = fingerprint();
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(interval, timeProvider, stoppingToken).ConfigureAwait(false);
            var now = fingerprint();
            if (now == seen)
            {
                continue;
            }

            seen = now;
            ResourceSet loaded;
            try
            {
                loaded = load();
            }
            catch (Exception unreadable) when (unreadable is not OperationCanceledException)
            {
                // A running sidecar outlives a bad file: it keeps what runs and says why the file was not taken.
                Log.ReloadUnreadable(logger, unreadable.Message);
                continue;
            }

            (running, var replaced) = reloader.Apply(running, loaded);
            foreach (var store in replaced)
            {
                _ = DisposeLaterAsync(store, stoppingToken);
            }
        }
    }

    private async Task DisposeLaterAsync(object store, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(DisposeAfter, timeProvider, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The sidecar stops: the container disposes what it still holds; this store goes with the process.
        }

        switch (store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
