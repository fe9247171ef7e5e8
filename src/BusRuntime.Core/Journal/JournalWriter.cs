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
    TimeProvider timeProvider,
    IOptions<JournalOptions> options,
    ILogger<JournalWriter> logger) : BackgroundService
{
    /// <summary>How long a stopping sidecar keeps writing what is still buffered.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private bool failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A batch taken but not stored when stopping began is written by the drain, not lost.
        IReadOnlyList<JournalEntry> unwritten = [];
        try
        {
            // An empty batch means the buffer was completed: nothing more will come.
            var linger = store.BatchesWrites ? options.Value.FlushDelay : TimeSpan.Zero;
            while ((unwritten = await journal.TakeAsync(options.Value.BatchSize, linger, timeProvider, stoppingToken).ConfigureAwait(false)).Count > 0)
            {
                await WriteAsync(unwritten, stoppingToken).ConfigureAwait(false);
                unwritten = [];
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the bus stopped before this writer (hosted services stop in reverse order), so what
            // is buffered now is all there will be; it is written below, within a bounded time.
        }

        await DrainAsync(unwritten).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // Stopped before it ever ran, nothing drained: later records must not wait in a buffer nobody reads.
        journal.Complete();
    }

    private async Task DrainAsync(IReadOnlyList<JournalEntry> unwritten)
    {
        journal.Complete();
        using var window = new CancellationTokenSource(DrainTimeout, timeProvider);
        var batch = unwritten;
        try
        {
            do
            {
                if (batch.Count > 0)
                {
                    await WriteAsync(batch, window.Token).ConfigureAwait(false);
                    batch = [];
                }

                batch = await journal.TakeAsync(options.Value.BatchSize, TimeSpan.Zero, timeProvider, window.Token).ConfigureAwait(false);
            }
            while (batch.Count > 0);
        }
        catch (OperationCanceledException) when (window.IsCancellationRequested)
        {
            // Out of time: the rest is lost, as it would be on a crash, but counted: the batch being written and
            // everything still buffered behind it.
            var lost = batch.Count + journal.Discard();
            metrics.Dropped(lost, "shutdown");
            Log.ShutdownDropped(logger, lost, DrainTimeout.TotalSeconds);
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
