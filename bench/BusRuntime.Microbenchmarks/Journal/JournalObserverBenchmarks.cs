using BenchmarkDotNet.Attributes;
using BusRuntime.Contracts;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Journal;
using MassTransit.Context;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BusRuntime.Microbenchmarks.Journal;

/// <summary>
/// (a) What the journal costs on the bus path: the observer recording a sent topic event (its entry, with the headers
/// copied, queued for the writer).
/// </summary>
[MemoryDiagnoser]
public class JournalObserverBenchmarks : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private MessageJournal journal = null!;
    private JournalObserver observer = null!;
    private MessageSendContext<TopicEvent> context = null!;

    [GlobalSetup]
    public void Setup()
    {
        var runtime = Options.Create(new RuntimeOptions { AppId = "checkout" });
        var options = Options.Create(new JournalOptions());
        journal = new MessageJournal(options, new JournalMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), runtime), NullLogger<MessageJournal>.Instance);
        observer = new JournalObserver(journal, TimeProvider.System, options, runtime);
        context = new MessageSendContext<TopicEvent>(JournalSamples.TopicEvent)
        {
            MessageId = Guid.NewGuid(),
            ConversationId = Guid.NewGuid(),
            DestinationAddress = new Uri("rabbitmq://localhost/busruntime.topic.pubsub.orders"),
        };
        foreach (var (key, value) in JournalSamples.SendHeaders)
        {
            context.Headers.Set(key, value);
        }

        observer.PreSend(context).GetAwaiter().GetResult();
    }

    [Benchmark]
    public int RecordSent()
    {
        observer.PostSend(context).GetAwaiter().GetResult();
        return journal.Discard();
    }

    public void Dispose()
    {
        services.Dispose();
        GC.SuppressFinalize(this);
    }
}
