using BusRuntime.Core.Configuration;
using BusRuntime.Core.Locks;
using BusRuntime.Core.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Stores;

/// <summary>
/// Deletes expired state entries and lock leases every <see cref="StoreOptions.ExpirySweepInterval"/>.
/// Readers never see expired entries either way; the sweep only gives their space back.
/// </summary>
public sealed class ExpiredEntrySweeper(
    NamedStores<IStateStore> stateStores,
    NamedStores<ILockStore> lockStores,
    TimeProvider timeProvider,
    IOptions<StoreOptions> options,
    ILogger<ExpiredEntrySweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ExpirySweepInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await SweepAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>One sweep of every state and lock store; a store that fails is logged and tried again next time.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        foreach (var store in stateStores.All)
        {
            await SweepAsync(store.Name, () => store.Store.DeleteExpiredAsync(cancellationToken)).ConfigureAwait(false);
        }

        foreach (var store in lockStores.All)
        {
            await SweepAsync(store.Name, () => store.Store.DeleteExpiredAsync(cancellationToken)).ConfigureAwait(false);
        }
    }

    private async Task SweepAsync(string storeName, Func<Task<int>> sweep)
    {
        try
        {
            var deleted = await sweep().ConfigureAwait(false);
            if (deleted > 0)
            {
                Log.Swept(logger, deleted, storeName);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.SweepFailed(logger, storeName, exception);
        }
    }
}
