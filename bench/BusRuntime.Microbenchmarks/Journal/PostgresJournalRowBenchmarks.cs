using BenchmarkDotNet.Attributes;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Journal;
using BusRuntime.Stores.Postgres.Journal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BusRuntime.Microbenchmarks.Journal;

/// <summary>
/// (c) The CPU work of an entry's row in the PostgreSQL journal, short of the COPY itself: its values as written,
/// the headers as JSON among them.
/// </summary>
[MemoryDiagnoser]
public class PostgresJournalRowBenchmarks : IDisposable
{
    private readonly JournalHeadersJson headers = new();
    private JournalEntry stored = null!;
    private PostgresJournalRow row;

    [GlobalSetup]
    public async Task Setup()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var journal = new MessageJournal(
            Options.Create(new JournalOptions()),
            new JournalMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), Options.Create(new RuntimeOptions { AppId = "checkout" })),
            NullLogger<MessageJournal>.Instance);
        journal.Record(JournalSamples.Recorded(), JournalSamples.TopicEvent, 1_500);
        stored = (await journal.TakeAsync(1, TimeSpan.Zero, TimeProvider.System, CancellationToken.None).ConfigureAwait(false))[0];
    }

    [Benchmark]
    public void RowOfTopicEvent() => row = PostgresJournalRow.Of(stored, headers);

    public void Dispose()
    {
        headers.Dispose();
        GC.SuppressFinalize(this);
    }
}
