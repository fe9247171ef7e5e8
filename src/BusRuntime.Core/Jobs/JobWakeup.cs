namespace BusRuntime.Core.Jobs;

/// <summary>
/// Tells the due-job loop when to look at the store again: when a job is due that this sidecar knows of (one it
/// scheduled, or the next tick or retry of one it fired: <see cref="Expect"/>), or at once when a job was scheduled
/// (<see cref="Signal"/>), else after the idle interval, which finds what other sidecars of the app scheduled. So a
/// sidecar whose app has no job due soon asks the store rarely, and a tick it knows of is claimed on time.
/// </summary>
public sealed class JobWakeup
{
    private readonly SemaphoreSlim signal = new(0, 1);
    private long expectedTicks = long.MaxValue;

    /// <summary>Wakes the loop now.</summary>
    public void Signal()
    {
        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the loop wakes once for both.
        }
    }

    /// <summary>Makes the loop look at the store no later than <paramref name="dueAt"/>.</summary>
    public void Expect(DateTimeOffset dueAt)
    {
        var ticks = dueAt.UtcTicks;
        var seen = Volatile.Read(ref expectedTicks);
        while (ticks < seen)
        {
            var before = Interlocked.CompareExchange(ref expectedTicks, ticks, seen);
            if (before == seen)
            {
                return;
            }

            seen = before;
        }
    }

    /// <summary>The loop looks at the store at <paramref name="now"/>: what was expected by then is found there.</summary>
    public void Reached(DateTimeOffset now)
    {
        var seen = Volatile.Read(ref expectedTicks);
        while (seen <= now.UtcTicks)
        {
            var before = Interlocked.CompareExchange(ref expectedTicks, long.MaxValue, seen);
            if (before == seen)
            {
                return;
            }

            seen = before;
        }
    }

    /// <summary>Waits for a signal, the expected due time, or <paramref name="idle"/>, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan idle, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var expected = Volatile.Read(ref expectedTicks);
        var wait = idle;
        if (expected != long.MaxValue)
        {
            var until = new DateTimeOffset(expected, TimeSpan.Zero) - timeProvider.GetUtcNow();
            wait = until < TimeSpan.Zero ? TimeSpan.Zero : until < idle ? until : idle;
        }

        return WaitOrDelayAsync(wait, timeProvider, cancellationToken);
    }

    private async Task WaitOrDelayAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, timeProvider, linked.Token);
        var woken = signal.WaitAsync(linked.Token);
        await Task.WhenAny(delay, woken).ConfigureAwait(false);
        await linked.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
