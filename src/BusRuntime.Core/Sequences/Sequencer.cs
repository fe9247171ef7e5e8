using System.Collections.Concurrent;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Stores;

namespace BusRuntime.Core.Sequences;

/// <summary>
/// The sequencer primitive. STRONG takes every id from the store. WEAK takes a segment of
/// <c>segmentSize</c> ids (component metadata, default 1) and hands them out from memory: ids stay
/// unique and increase per sidecar, but sidecars' segments interleave, and the unused rest of a
/// segment is skipped when the sidecar stops or a STRONG call on the same key passes it.
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
        if (segmentSize == 1)
        {
            return await ReserveAsync(store, storageKey, 1, cancellationToken).ConfigureAwait(false);
        }

        var segment = segments.GetOrAdd((store.Name, storageKey), _ => new SequenceSegment());
        await segment.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (increment == SequenceIncrement.Strong)
            {
                // What is left of the segment lies below this id: WEAK calls after it must not hand it out.
                var id = await ReserveAsync(store, storageKey, 1, cancellationToken).ConfigureAwait(false);
                segment.Next = segment.Last + 1;
                return id;
            }

            if (segment.Next > segment.Last)
            {
                var last = await ReserveAsync(store, storageKey, segmentSize, cancellationToken).ConfigureAwait(false);
                segment.Next = last - segmentSize + 1;
                segment.Last = last;
            }

            return checked(segment.Next++);
        }
        finally
        {
            segment.Gate.Release();
        }
    }

    private Task<long> ReserveAsync(NamedStore<ISequenceStore> store, string storageKey, int count, CancellationToken cancellationToken) =>
        metrics.MeasureAsync(store.Name, count == 1 ? "next_id" : "reserve_segment", () => store.Store.ReserveAsync(storageKey, count, cancellationToken));
}
