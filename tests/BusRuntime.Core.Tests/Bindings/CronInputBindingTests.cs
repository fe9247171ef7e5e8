using System.Collections.Concurrent;
using BusRuntime.Bindings.Cron;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Locks;
using BusRuntime.Core.Schedules;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BusRuntime.Core.Tests.Bindings;

/// <summary>bindings.cron's reading side on a fake clock and the in-memory lock store.</summary>
public sealed class CronInputBindingTests
{
    [Fact]
    public async Task ReadAsync_TwoReplicasOnOneLockStore_EachTickDeliveredOnce()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, 500, TimeSpan.Zero));
        await using var core = await CoreHarness.StartAsync(timeProvider: clock);
        var ticks = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var replicas = Enumerable.Range(0, 2).Select(_ => Binding("@every 1s", core.Get<LockManager>(), clock)
            .ReadAsync((tick, _) => { ticks.Enqueue(tick.Metadata["readTimeUTC"]); return Task.FromResult(true); }, stop.Token)).ToList();

        for (var second = 0; second < 5; second++)
        {
            await Task.Delay(50);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        await Task.Delay(200);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.WhenAll(replicas));

        Assert.Equal(
            ["2026-12-07 12:00:01 +0000 UTC", "2026-12-07 12:00:02 +0000 UTC", "2026-12-07 12:00:03 +0000 UTC", "2026-12-07 12:00:04 +0000 UTC", "2026-12-07 12:00:05 +0000 UTC"],
            ticks.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_TickMonthsAway_FiresThenWithoutTheTimerOverflowing()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 1, TimeSpan.Zero));
        await using var core = await CoreHarness.StartAsync(timeProvider: clock);
        var ticks = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var reading = Binding("@yearly", core.Get<LockManager>(), clock)
            .ReadAsync((tick, _) => { ticks.Enqueue(tick.Metadata["readTimeUTC"]); return Task.FromResult(true); }, stop.Token);

        for (var day = 0; day < 366 && ticks.IsEmpty; day++)
        {
            await Task.Delay(5);
            Assert.False(reading.IsFaulted, reading.Exception?.ToString());
            clock.Advance(TimeSpan.FromDays(1));
        }

        await Task.Delay(100);
        await stop.CancelAsync();

        Assert.Equal("2027-01-01 00:00:00 +0000 UTC", Assert.Single(ticks));
    }

    private static CronInputBinding Binding(string schedule, LockManager locks, TimeProvider clock) => new(
        "ticker",
        "orders",
        CronSchedule.For(new ComponentOptions { Name = "ticker", Type = ComponentTypes.BindingsCron, Metadata = new(StringComparer.OrdinalIgnoreCase) { ["schedule"] = schedule } }, TimeZoneInfo.Utc),
        locks,
        "lockstore",
        clock,
        NullLogger.Instance);
}
