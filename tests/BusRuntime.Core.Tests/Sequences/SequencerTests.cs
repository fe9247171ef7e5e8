using BusRuntime.Core.Configuration;
using BusRuntime.Core.Sequences;
using BusRuntime.Core.Stores;
using BusRuntime.Stores.InMemory.Sequences;

namespace BusRuntime.Core.Tests.Sequences;

public sealed class SequencerTests
{
    [Fact]
    public async Task GetNextIdAsync_WeakWithSegmentsOnTwoSidecars_IdsAreUniqueAndIncreasePerSidecarButInterleave()
    {
        await using var core = await CoreHarness.StartAsync();
        var shared = new InMemorySequenceStore();
        var first = SequencerOn(shared, core.Get<StoreMetrics>(), segmentSize: "10");
        var second = SequencerOn(shared, core.Get<StoreMetrics>(), segmentSize: "10");

        var fromFirst = new List<long> { await NextAsync(first, SequenceIncrement.Weak) };
        var fromSecond = new List<long> { await NextAsync(second, SequenceIncrement.Weak) };
        fromFirst.Add(await NextAsync(first, SequenceIncrement.Weak));

        // Each sidecar took a segment of ten: 1-10 and 11-20.
        Assert.Equal([1, 2], fromFirst);
        Assert.Equal([11], fromSecond);
        // STRONG goes to the store: past both segments; the first sidecar's WEAK ids continue above it.
        Assert.Equal(21, await NextAsync(first, SequenceIncrement.Strong));
        Assert.Equal(22, await NextAsync(first, SequenceIncrement.Weak));
    }

    [Fact]
    public async Task GetNextIdAsync_WeakSegmentUsedUp_ReservesTheNextSegment()
    {
        await using var core = await CoreHarness.StartAsync();
        var sequencer = SequencerOn(new InMemorySequenceStore(), core.Get<StoreMetrics>(), segmentSize: "3");

        var ids = new List<long>();
        for (var call = 0; call < 7; call++)
        {
            ids.Add(await NextAsync(sequencer, SequenceIncrement.Weak));
        }

        Assert.Equal([1, 2, 3, 4, 5, 6, 7], ids);
    }

    [Fact]
    public async Task GetNextIdAsync_ConcurrentWeakCallersOnSeveralSidecars_NoIdTwice()
    {
        await using var core = await CoreHarness.StartAsync();
        var shared = new InMemorySequenceStore();
        var sidecars = Enumerable.Range(0, 3).Select(_ => SequencerOn(shared, core.Get<StoreMetrics>(), segmentSize: "7")).ToList();

        var ids = await Task.WhenAll(Enumerable.Range(0, 300).Select(call => NextAsync(sidecars[call % 3], SequenceIncrement.Weak)));

        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void SegmentSizeOf_NotANumber_ThrowsNamingTheKey()
    {
        var component = new ComponentOptions { Name = "ids", Type = ComponentTypes.SequencerInMemory, Metadata = { ["segmentSize"] = "lots" } };

        var error = Assert.Throws<InvalidOperationException>(() => Sequencer.SegmentSizeOf(component));

        Assert.Equal("BusRuntime:Components[ids]:Metadata:segmentSize 'lots' must be a whole number between 1 and 1000000.", error.Message);
    }

    private static Sequencer SequencerOn(ISequenceStore store, StoreMetrics metrics, string segmentSize)
    {
        var component = new ComponentOptions { Name = "sequencer", Type = ComponentTypes.SequencerInMemory, Metadata = { ["segmentSize"] = segmentSize } };
        var stores = new NamedStores<ISequenceStore>(ComponentKind.Sequencer, [component], [new StoreFactory<ISequenceStore>(ComponentTypes.SequencerInMemory, _ => store)], "orders");
        return new Sequencer(stores, metrics);
    }

    private static Task<long> NextAsync(Sequencer sequencer, SequenceIncrement increment) =>
        sequencer.GetNextIdAsync("sequencer", "invoice", increment, CancellationToken.None);
}
