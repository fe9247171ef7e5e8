using System.Diagnostics;
using System.Diagnostics.Metrics;
using BusRuntime.Core.Configuration;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Journal;

/// <summary>The journal's meter: entries stored, and entries dropped (buffer full, store failed, sidecar stopping).</summary>
public sealed class JournalMetrics
{
    public const string MeterName = "BusRuntime.Journal";

    // Owned and disposed by the IMeterFactory that created it.
    private readonly Meter meter;
    private readonly Counter<long> stored;
    private readonly Counter<long> dropped;
    private readonly string appId;

    public JournalMetrics(IMeterFactory meterFactory, IOptions<RuntimeOptions> options)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(options);
        appId = options.Value.AppId;
        meter = meterFactory.Create(MeterName);
        stored = meter.CreateCounter<long>("busruntime.journal.stored", "{entry}", "Journal entries written to the journal store.");
        dropped = meter.CreateCounter<long>("busruntime.journal.dropped", "{entry}", "Journal entries lost, by reason (buffer_full, store_failed, shutdown, stopped); the messages themselves were not affected.");
    }

    public void Stored(int count) => stored.Add(count, new TagList { { "app_id", appId } });

    public void Dropped(int count, string reason) => dropped.Add(count, new TagList { { "app_id", appId }, { "reason", reason } });
}
