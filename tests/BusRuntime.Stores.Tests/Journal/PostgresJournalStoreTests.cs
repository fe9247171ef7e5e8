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

    [Fact]
    public async Task GetAndQuery_NulCharacterInWhatIsLookedFor_FindWhatWasKeptRatherThanFail()
    {
        await Store.AppendAsync([Entry("id\0nul", "t\0nul", "app\0nul", JournalOutcome.Sent, 0)], CancellationToken.None);

        var byId = await Store.GetAsync("id\0nul", CancellationToken.None);
        var byTopic = await Store.QueryAsync(new JournalQuery("t\0nul", "app\0nul", null, null, 10), CancellationToken.None);
        var nothing = await Store.GetAsync("no\0such", CancellationToken.None);

        Assert.Single(byId);
        Assert.Single(byTopic);
        Assert.Empty(nothing);
    }
}
