using BusRuntime.Core.Journal;
using BusRuntime.Stores.InMemory.Journal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BusRuntime.Core.Tests.Journal;

public sealed class JournalSweeperTests
{
    [Fact]
    public async Task SweepAsync_EntriesOlderThanTheRetention_AreDeletedAndNewerKept()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new JournalOptions { Retention = TimeSpan.FromHours(1) });
        var store = new InMemoryJournalStore(options);
        await store.AppendAsync([Entry("old", clock.GetUtcNow().AddHours(-2)), Entry("recent", clock.GetUtcNow().AddMinutes(-30))], CancellationToken.None);
        var sweeper = new JournalSweeper(store, clock, options, NullLogger<JournalSweeper>.Instance);

        await sweeper.SweepAsync(CancellationToken.None);

        Assert.Empty(await store.GetAsync("old", CancellationToken.None));
        Assert.Single(await store.GetAsync("recent", CancellationToken.None));
    }

    [Fact]
    public async Task Sweeper_JournalDisabled_NeverDeletes()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new JournalOptions { Enabled = false, Retention = TimeSpan.FromHours(1), SweepInterval = TimeSpan.FromMinutes(1) });
        var store = new InMemoryJournalStore(options);
        await store.AppendAsync([Entry("old", clock.GetUtcNow().AddHours(-2))], CancellationToken.None);
        using var sweeper = new JournalSweeper(store, clock, options, NullLogger<JournalSweeper>.Instance);

        await sweeper.StartAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(5));
        await (sweeper.ExecuteTask ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(sweeper.ExecuteTask?.IsCompletedSuccessfully ?? true);
        Assert.Single(await store.GetAsync("old", CancellationToken.None));
    }

    private static JournalEntry Entry(string id, DateTimeOffset at) => new() { MessageId = id, Kind = "topic-event", RecordedAt = at, Outcome = JournalOutcome.Sent };
}
