using BenchmarkDotNet.Attributes;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Journal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BusRuntime.Microbenchmarks.Journal;

/// <summary>
/// (b) What the journal's writer does for each entry before it is stored: headers and message redacted, the body
/// written as JSON and sized. Entries go through the buffer in batches, as the writer takes them.
/// </summary>
[MemoryDiagnoser]
public class MessageJournalBenchmarks : IDisposable
{
    private const int Batch = 100;

    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private MessageJournal journal = null!;
    private JournalEntry recorded = null!;

    [GlobalSetup]
    public void Setup()
    {
        var runtime = Options.Create(new RuntimeOptions { AppId = "checkout" });
        journal = new MessageJournal(
            Options.Create(new JournalOptions()),
            new JournalMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), runtime),
            NullLogger<MessageJournal>.Instance);
        recorded = JournalSamples.Recorded();
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task<int> StoreTopicEvent()
    {
        for (var index = 0; index < Batch; index++)
        {
            journal.Record(recorded, JournalSamples.TopicEvent, 1_500);
        }

        var stored = await journal.TakeAsync(Batch, TimeSpan.Zero, TimeProvider.System, CancellationToken.None).ConfigureAwait(false);
        return stored.Count;
    }

    public void Dispose()
    {
        services.Dispose();
        GC.SuppressFinalize(this);
    }
}
