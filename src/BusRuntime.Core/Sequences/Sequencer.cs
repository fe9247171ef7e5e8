using System.Collections.Concurrent;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Stores;

namespace BusRuntime.Core.Sequences;

/// <summary>
/// The sequencer primitive. STRONG takes every id from the store. WEAK takes a segment of
/// <c>segmentSize</c> ids (component metadata, default 1) and hands them out from memory: ids stay
/// unique and increase per sidecar, but sidecars' segments interleave and the unused rest of a
/// segment is skipped when the sidecar stops.
/// </summary>
public sealed class Sequencer(NamedStores<ISequenceStore> stores, StoreMetrics metrics)
{
    public const string SegmentSizeKey = "segmentSize";

    private readonly Dictionary<string, int> segmentSizes =
        stores.All.ToDictionary(store => store.Name, store => SegmentSizeOf(store.Component), StringComparer.Ordinal);

    private readonly ConcurrentDictionary<(string Store, string Key), SequenceSegment> segments = new();

    public static int SegmentSizeOf(ComponentOptions component) => ComponentMetadata.GetInt32(component, SegmentSizeKey, 1, 1, 1_000_000);

    public async Task<long> GetNextIdAsync(string storeName, string key, SequenceIncrement increment, CancellationToken cancellationToken)
    {
        var store = stores.Get(storeName);
        var storageKey = store.Keys.ToStorageKey(key, "key");
        var segmentSize = segmentSizes[store.Name];
        if (increment == SequenceIncrement.Strong || segmentSize == 1)
        {
            return await metrics.MeasureAsync(store.Name, "next_id", () => store.Store.ReserveAsync(storageKey, 1, cancellationToken)).ConfigureAwait(false);
        }

        var segment = segments.GetOrAdd((store.Name, storageKey), _ => new SequenceSegment());
        await segment.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (segment.Next > segment.Last)
            {
                var last = await metrics.MeasureAsync(store.Name, "reserve_segment", () => store.Store.ReserveAsync(storageKey, segmentSize, cancellationToken)).ConfigureAwait(false);
                segment.Next = last - segmentSize + 1;
                segment.Last = last;
            }

            return segment.Next++;
        }
        finally
        {
            segment.Gate.Release();
        }
    }
}
