using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace BusRuntime.Sagas.Tests;

/// <summary>
/// A fake clock that tells when something starts waiting on it, and for how long, so a test advances it only
/// once a retry's delay is running and can check that delay exactly.
/// </summary>
public sealed class TimerRecordingClock : FakeTimeProvider
{
    private readonly Channel<TimeSpan> started = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Told once the timer runs, so that a test's Advance right after cannot pass it by.
        var timer = base.CreateTimer(callback, state, dueTime, period);
        started.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits until something starts waiting <paramref name="delay"/> on this clock, passing over other waits.</summary>
    public async Task WaitForTimerAsync(TimeSpan delay)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (await started.Reader.ReadAsync(limit.Token) != delay)
            {
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"nothing started waiting {delay} on the clock");
        }
    }
}
