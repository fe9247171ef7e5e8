using BusRuntime.Core.Journal;
using BusRuntime.Stores.InMemory.Journal;
using Microsoft.Extensions.Options;

namespace BusRuntime.Stores.Tests.Journal;

public sealed class InMemoryJournalStoreTests : JournalStoreBehaviour
{
    private int capacity = 100;

    protected override IJournalStore CreateStore() => new InMemoryJournalStore(Options.Create(new JournalOptions { Capacity = capacity }));

    [Fact]
    public async Task AppendAsync_BeyondCapacity_KeepsTheNewestEntries()
    {
        capacity = 2;

        await Store.AppendAsync([Entry("a", "t", "app", JournalOutcome.Sent, 0), Entry("b", "t", "app", JournalOutcome.Sent, 1)], CancellationToken.None);
        await Store.AppendAsync([Entry("c", "t", "app", JournalOutcome.Sent, 2)], CancellationToken.None);

        Assert.Equal(["c", "b"], await IdsAsync(new JournalQuery(null, null, null, null, 10)));
    }
}
