using System.Diagnostics;
using BusRuntime.LoadDriver.Load;

namespace BusRuntime.LoadDriver.Invoke;

/// <summary>
/// Makes calls at a fixed rate whatever the answers take (an open loop, as independent users do), and
/// times each call from its start. Calls are started in the millisecond they are due; a driver that
/// falls behind starts the late ones at once, and the achieved rate is reported.
/// </summary>
public sealed class FixedRatePhase(int callsPerSecond, TimeSpan timeLimit, CpuClocks cpu)
{
    public async Task<PhaseMeasurement> RunAsync(ILoadTarget target, int calls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var latencies = new long[calls];
        var inFlight = new Task[calls];
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeLimit);
        var interval = (double)Stopwatch.Frequency / callsPerSecond;

        var cpuBefore = cpu.Read();
        var started = Stopwatch.GetTimestamp();
        for (var index = 0; index < calls; index++)
        {
            var due = started + (long)(index * interval);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, limit.Token);
            }

            inFlight[index] = TimeAsync(target, latencies, index, limit.Token);
        }

        try
        {
            await Task.WhenAll(inFlight);
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LoadDriverException(limit.IsCancellationRequested
                ? $"{target.Name}: {calls} calls at {callsPerSecond}/s did not finish within {timeLimit.TotalSeconds:0}s."
                : $"{target.Name}: a call failed, so the run measures nothing: {failure.GetType().Name}: {failure.Message}", failure);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        return new PhaseMeasurement(target.Name, latencies, elapsed, cpu.Read().Since(cpuBefore));
    }

    private static async Task TimeAsync(ILoadTarget target, long[] latencies, int index, CancellationToken cancellationToken)
    {
        var callStarted = Stopwatch.GetTimestamp();
        await target.CallAsync(cancellationToken);
        latencies[index] = Stopwatch.GetTimestamp() - callStarted;
    }
}
