using BusRuntime.Core.Journal;
using BusRuntime.Stores.InMemory.Journal;
using Microsoft.Extensions.Options;

namespace BusRuntime.Stores.Tests.Journal;

public sealed class InMemoryJournalStoreTests : JournalStoreBehaviour
{
    private int capacity = 10_000;
    private long capacityBytes = 64L * 1024 * 1024;

    protected override IJournalStore CreateStore() =>
        new InMemoryJournalStore(Options.Create(new JournalOptions { Capacity = capacity, CapacityBytes = capacityBytes }));

    [Fact]
    public async Task AppendAsync_BeyondCapacity_KeepsTheNewestEntries()
    {
        capacity = 2;

        await Store.AppendAsync([Entry("a", "t", "app", JournalOutcome.Sent, 0), Entry("b", "t", "app", JournalOutcome.Sent, 1)], CancellationToken.None);
        await Store.AppendAsync([Entry("c", "t", "app", JournalOutcome.Sent, 2)], CancellationToken.None);

        Assert.Equal(["c", "b"], await IdsAsync(new JournalQuery(null, null, null, null, 10)));
    }

    [Fact]
    public async Task AppendAsync_BeyondCapacityBytes_DropsTheOldestUntilTheBodiesFit()
    {
        capacityBytes = 10_000;
        var body = new string('x', 4_000); // 4,000 bytes in UTF-8

        await Store.AppendAsync([.. new[] { "a", "b", "c" }.Select((id, i) => Entry(id, "t", "app", JournalOutcome.Sent, i) with { Body = body })], CancellationToken.None);
        await Store.AppendAsync([Entry("d", "t", "app", JournalOutcome.Sent, 3) with { Body = body }], CancellationToken.None);

        Assert.Equal(["d", "c"], await IdsAsync(new JournalQuery(null, null, null, null, 10)));
    }

    [Fact]
    public async Task AppendAsync_ReusingAnEvictedEntrysBuffer_KeepsOnlyTheNewEntrysHeadersAndBody()
    {
        capacity = 1;
        var large = Entry("large", "t", "app", JournalOutcome.Sent, 0) with
        {
            Body = new string('L', 3_000),
            Headers = new Dictionary<string, string> { ["a-long-header-name"] = new string('h', 500), ["second"] = "2" },
        };
        var small = Entry("small", "t", "app", JournalOutcome.Sent, 1) with
        {
            Body = "{\"ü\":\"€ <&> 😀\"}",
            Headers = new Dictionary<string, string> { ["x"] = "ä+\"quoted\"" },
        };

        await Store.AppendAsync([large], CancellationToken.None);
        await Store.AppendAsync([small], CancellationToken.None);

        var kept = Assert.Single(await Store.QueryAsync(new JournalQuery(null, null, null, null, 10), CancellationToken.None));
        Assert.Equal("small", kept.MessageId);
        Assert.Equal(small.Body, kept.Body);
        Assert.Equal(small.Headers, kept.Headers);
    }
}
