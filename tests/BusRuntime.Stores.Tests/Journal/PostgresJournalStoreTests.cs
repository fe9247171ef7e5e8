using BusRuntime.Core.Journal;

namespace BusRuntime.Stores.Tests.Journal;

[Collection(PostgresCollection.Name)]
public sealed class PostgresJournalStoreTests(PostgresFixture postgres) : JournalStoreBehaviour, IAsyncLifetime
{
    private readonly PostgresSidecar sidecar = postgres.StartSidecar();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await sidecar.DisposeAsync();

    protected override IJournalStore CreateStore() => sidecar.Journal();

    [Fact]
    public async Task AppendAsync_BodyWithNulCharacter_IsStoredWithTheCharacterEscaped()
    {
        await Store.AppendAsync([Entry("nul", "t", "app", JournalOutcome.Sent, 0) with { Body = "a\0b" }], CancellationToken.None);

        Assert.Equal("a\\u0000b", (await Store.GetAsync("nul", CancellationToken.None))[0].Body);
    }
}
