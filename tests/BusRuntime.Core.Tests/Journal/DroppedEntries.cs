using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Journal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Tests.Journal;

/// <summary>The journal's meter on a container of its own, and what its dropped counter counted, by reason.</summary>
internal sealed class DroppedEntries : IDisposable
{
    private readonly ServiceProvider provider;
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, long> dropped = new();

    public DroppedEntries()
    {
        provider = new ServiceCollection().AddMetrics().Configure<RuntimeOptions>(options => options.AppId = "orders").BuildServiceProvider();
        Metrics = new JournalMetrics(provider.GetRequiredService<IMeterFactory>(), provider.GetRequiredService<IOptions<RuntimeOptions>>());
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (instrument.Name == "busruntime.journal.dropped")
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    dropped.AddOrUpdate((string)tag.Value!, value, (_, total) => total + value);
                }
            }
        });
        listener.Start();
    }

    public JournalMetrics Metrics { get; }

    public long Count(string reason) => dropped.GetValueOrDefault(reason);

    public void Dispose()
    {
        listener.Dispose();
        provider.Dispose();
    }
}
