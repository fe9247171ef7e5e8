using System.Diagnostics;

namespace BusRuntime.LoadDriver.Load;

/// <summary>
/// Makes a fixed number of calls through a target with a fixed number of concurrent callers, each
/// awaiting its call before it takes the next, and times every call.
/// </summary>
public sealed class LoadPhase(int concurrency, TimeSpan timeLimit, CpuClocks cpu)
{
    /// <summary>Makes <paramref name="calls"/> calls; the first failed call or the time limit ends the run.</summary>
    public async Task<PhaseMeasurement> RunAsync(ILoadTarget target, int calls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var latencies = new long[calls];
        var next = -1;
        Exception? failure = null;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeLimit);

        var cpuBefore = cpu.Read();
        var started = Stopwatch.GetTimestamp();
        var callers = Enumerable.Range(0, Math.Min(concurrency, calls)).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < calls && !limit.IsCancellationRequested)
            {
                var callStarted = Stopwatch.GetTimestamp();
                try
                {
                    await target.CallAsync(limit.Token);
                }
                catch (Exception exception)
                {
                    // The first failure stops every caller; what fails after it is its echo.
                    if (!limit.IsCancellationRequested)
                    {
                        Interlocked.CompareExchange(ref failure, exception, null);
                        await limit.CancelAsync();
                    }

                    return;
                }

                latencies[index] = Stopwatch.GetTimestamp() - callStarted;
            }
        }, CancellationToken.None)).ToList();
        await Task.WhenAll(callers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpuUsed = cpu.Read().Since(cpuBefore);

        cancellationToken.ThrowIfCancellationRequested();
        if (failure is not null)
        {
            throw new LoadDriverException($"{target.Name}: a call failed, so the run measures nothing: {failure.GetType().Name}: {failure.Message}", failure);
        }

        if (limit.IsCancellationRequested)
        {
            throw new LoadDriverException(
                $"{target.Name}: {calls} calls did not finish within {timeLimit.TotalSeconds:0}s (--phase-timeout); is the broker, the database or the sidecar overloaded?");
        }

        return new PhaseMeasurement(target.Name, latencies, elapsed, cpuUsed);
    }
}
