using BusRuntime.Core.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace BusRuntime.Core.Tests.Jobs;

public sealed class JobWakeupTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task WaitAsync_NothingExpected_WaitsTheIdleInterval()
    {
        var wakeup = new JobWakeup();

        await EndsAfterAsync(wakeup.WaitAsync(Idle, time, CancellationToken.None), Idle);
    }

    [Fact]
    public async Task WaitAsync_ADueTimeExpectedSooner_EndsThen()
    {
        var wakeup = new JobWakeup();
        wakeup.Expect(time.GetUtcNow() + TimeSpan.FromSeconds(2));
        wakeup.Expect(time.GetUtcNow() + TimeSpan.FromSeconds(3));

        await EndsAfterAsync(wakeup.WaitAsync(Idle, time, CancellationToken.None), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Reached_TheExpectedTimePassed_TheNextWaitIsTheIdleOneAgain()
    {
        var wakeup = new JobWakeup();
        wakeup.Expect(time.GetUtcNow() + TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));
        wakeup.Reached(time.GetUtcNow());

        await EndsAfterAsync(wakeup.WaitAsync(Idle, time, CancellationToken.None), Idle);
    }

    [Fact]
    public async Task Signal_WhileWaiting_EndsTheWaitAtOnce()
    {
        var wakeup = new JobWakeup();
        var waiting = wakeup.WaitAsync(Idle, time, CancellationToken.None);

        wakeup.Signal();

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero), time.GetUtcNow());
    }

    /// <summary>Asserts the wait is still on a millisecond before <paramref name="after"/> has passed on the clock, and over once it has.</summary>
    private async Task EndsAfterAsync(Task waiting, TimeSpan after)
    {
        time.Advance(after - TimeSpan.FromMilliseconds(1));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
