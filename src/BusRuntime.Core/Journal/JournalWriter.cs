using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Journal;

/// <summary>
/// Moves journal entries from the buffer to the store in batches. A failed write drops its batch (counted,
/// logged once until a write succeeds) rather than holding entries back: the journal never slows the bus.
/// </summary>
public sealed class JournalWriter(
    MessageJournal journal,
    IJournalStore store,
    JournalMetrics metrics,
    IOptions<JournalOptions> options,
    ILogger<JournalWriter> logger) : BackgroundService
{
    private bool failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var batch = await journal.TakeAsync(options.Value.BatchSize, stoppingToken).ConfigureAwait(false);
                if (batch.Count > 0)
                {
                    await WriteAsync(batch, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still buffered is not worth holding up the shutdown for.
        }
    }

    private async Task WriteAsync(IReadOnlyList<JournalEntry> batch, CancellationToken cancellationToken)
    {
        try
        {
            await store.AppendAsync(batch, cancellationToken).ConfigureAwait(false);
            metrics.Stored(batch.Count);
            if (failing)
            {
                failing = false;
                Log.Recovered(logger);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            metrics.Dropped(batch.Count, "store_failed");
            if (!failing)
            {
                failing = true;
                Log.StoreFailed(logger, batch.Count, exception);
            }
        }
    }
}
