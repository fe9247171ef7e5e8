using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Journal;

/// <summary>Deletes journal entries older than <see cref="JournalOptions.Retention"/> every <see cref="JournalOptions.SweepInterval"/>.</summary>
public sealed class JournalSweeper(
    IJournalStore store,
    TimeProvider timeProvider,
    IOptions<JournalOptions> options,
    ILogger<JournalSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.SweepInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await SweepAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>One sweep; a failure is logged and the next sweep tries again.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = timeProvider.GetUtcNow() - options.Value.Retention;
        try
        {
            var deleted = await store.DeleteBeforeAsync(cutoff, cancellationToken).ConfigureAwait(false);
            if (deleted > 0)
            {
                Log.Swept(logger, deleted, cutoff);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.SweepFailed(logger, exception);
        }
    }
}
