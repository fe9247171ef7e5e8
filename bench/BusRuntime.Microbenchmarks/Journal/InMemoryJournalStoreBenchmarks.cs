using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BusRuntime.Core.Journal;
using BusRuntime.Stores.InMemory.Journal;
using Microsoft.Extensions.Options;

namespace BusRuntime.Microbenchmarks.Journal;

/// <summary>
/// (d) The embedded journal, full (its default 10,000 entries), as a busy sidecar keeps it: each stored entry takes the
/// oldest one's place; and an operator's listing of the newest 100 entries.
/// </summary>
[MemoryDiagnoser]
public class InMemoryJournalStoreBenchmarks
{
    private const int Batch = 100;

    private readonly JournalEntry[] batch = new JournalEntry[Batch];
    private InMemoryJournalStore store = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new JournalOptions();
        store = new InMemoryJournalStore(Options.Create(options));
        var stored = JournalSamples.Recorded() with { Body = JsonSerializer.Serialize(JournalSamples.TopicEvent, MessageJournal.BodyJson) };
        Array.Fill(batch, stored);
        for (var filled = 0; filled < options.Capacity; filled += Batch)
        {
            store.AppendAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public Task AppendToFullJournal() => store.AppendAsync(batch, CancellationToken.None);

    [Benchmark]
    public Task<IReadOnlyList<JournalEntry>> ListNewest100() =>
        store.QueryAsync(new JournalQuery(null, null, null, null, 100), CancellationToken.None);
}
