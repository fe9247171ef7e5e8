using BusRuntime.Core.Sequences;

namespace BusRuntime.Stores.Tests.Sequences;

/// <summary>What every sequencer store does: ids per key from 1, strictly increasing, never handed out twice.</summary>
public abstract class SequenceStoreBehaviour
{
    private readonly Dictionary<string, ISequenceStore> stores = new(StringComparer.Ordinal);

    protected ISequenceStore Store => StoreNamed("sequencer");

    /// <summary>A new store for the component <paramref name="name"/>, with no ids handed out at the start of a test.</summary>
    protected abstract ISequenceStore CreateStore(string name);

    protected ISequenceStore StoreNamed(string name)
    {
        if (!stores.TryGetValue(name, out var store))
        {
            store = CreateStore(name);
            stores[name] = store;
        }

        return store;
    }

    [Fact]
    public async Task ReserveAsync_NewKey_StartsAtOne()
    {
        Assert.Equal(1, await Store.ReserveAsync("k", 1, CancellationToken.None));
    }

    [Fact]
    public async Task ReserveAsync_Repeatedly_CountsUpByOne()
    {
        var ids = new List<long>();
        for (var call = 0; call < 5; call++)
        {
            ids.Add(await Store.ReserveAsync("k", 1, CancellationToken.None));
        }

        Assert.Equal([1, 2, 3, 4, 5], ids);
    }

    [Fact]
    public async Task ReserveAsync_Count_ReservesContiguousRanges()
    {
        Assert.Equal(5, await Store.ReserveAsync("k", 5, CancellationToken.None));
        Assert.Equal(8, await Store.ReserveAsync("k", 3, CancellationToken.None));
        Assert.Equal(9, await Store.ReserveAsync("k", 1, CancellationToken.None));
    }

    [Fact]
    public async Task ReserveAsync_CountBelowOne_Throws()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ReserveAsync("k", 0, CancellationToken.None));

        Assert.Equal(1, await Store.ReserveAsync("k", 1, CancellationToken.None));
    }

    [Fact]
    public async Task ReserveAsync_KeysAndStores_CountSeparately()
    {
        await Store.ReserveAsync("a", 10, CancellationToken.None);

        Assert.Equal(1, await Store.ReserveAsync("b", 1, CancellationToken.None));
        Assert.Equal(1, await StoreNamed("other").ReserveAsync("a", 1, CancellationToken.None));
        Assert.Equal(11, await Store.ReserveAsync("a", 1, CancellationToken.None));
    }

    [Fact]
    public async Task ReserveAsync_ParallelCallers_HandOutEveryIdOnce()
    {
        var ids = await ReserveInParallelAsync([Store], "k");

        Assert.Equal(Enumerable.Range(1, ids.Count).Select(id => (long)id), ids.Order());
    }

    /// <summary>20 callers reserving 100 ids each, one at a time, spread over <paramref name="sequencers"/>.</summary>
    protected static async Task<IReadOnlyList<long>> ReserveInParallelAsync(IReadOnlyList<ISequenceStore> sequencers, string key)
    {
        var perCaller = await Task.WhenAll(Enumerable.Range(0, 20).Select(caller => Task.Run(async () =>
        {
            var sequencer = sequencers[caller % sequencers.Count];
            var ids = new List<long>();
            for (var call = 0; call < 100; call++)
            {
                ids.Add(await sequencer.ReserveAsync(key, 1, CancellationToken.None));
            }

            return ids;
        })));

        Assert.All(perCaller, ids => Assert.Equal(ids.Order(), ids));
        return [.. perCaller.SelectMany(ids => ids)];
    }
}
