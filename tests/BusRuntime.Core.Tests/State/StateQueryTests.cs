using BusRuntime.Core.Errors;
using BusRuntime.Core.State;
using BusRuntime.Core.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Core.Tests.State;

public sealed class StateQueryTests
{
    private static readonly Dictionary<string, string?> TwoStores = new()
    {
        ["BusRuntime:Components:0:Name"] = "statestore",
        ["BusRuntime:Components:0:Type"] = "state.in-memory",
        ["BusRuntime:Components:1:Name"] = "plain",
        ["BusRuntime:Components:1:Type"] = "state.postgresql",
    };

    [Fact]
    public async Task QueryAsync_InMemoryStore_TheAppsKeysUnscopedWithEtagsAndTheNextToken()
    {
        await using var core = await StartAsync();
        var state = core.Get<StateManager>();
        await state.SaveAsync("statestore", [StateChange.Upsert("a", """{"n": 1}"""u8.ToArray()), StateChange.Upsert("b", """{"n": 2}"""u8.ToArray()), StateChange.Upsert("c", """{"n": 3}"""u8.ToArray())], CancellationToken.None);
        var etagOfB = (await state.GetAsync("statestore", "b", CancellationToken.None)).ETag;

        var first = await state.QueryAsync("statestore", """{"filter": {"GT": {"n": 1}}, "sort": [{"key": "n", "order": "DESC"}], "page": {"limit": 1}}""", CancellationToken.None);
        var second = await state.QueryAsync("statestore", """{"filter": {"GT": {"n": 1}}, "sort": [{"key": "n", "order": "DESC"}], "page": {"limit": 1, "token": "1"}}""", CancellationToken.None);

        Assert.Equal("c", Assert.Single(first.Results).Key);
        Assert.Equal("1", first.Token);
        var last = Assert.Single(second.Results);
        Assert.Equal(("b", """{"n": 2}""", etagOfB), (last.Key, System.Text.Encoding.UTF8.GetString(last.Data.Span), last.ETag));
        Assert.Equal("", second.Token);
    }

    [Fact]
    public async Task QueryAsync_StoreThatCannotQuery_UnimplementedNamingTheStoreBeforeTheQueryIsRead()
    {
        await using var core = await StartAsync();

        var error = await Assert.ThrowsAsync<RuntimeException>(() => core.Get<StateManager>().QueryAsync("plain", "not a query", CancellationToken.None));

        Assert.Equal(ErrorCode.Unimplemented, error.Code);
        Assert.Equal("state store 'plain' does not support querying (its type 'state.postgresql' cannot query); docs/api.md lists the store types that can.", error.Message);
    }

    [Fact]
    public async Task QueryAsync_UnknownStore_ComponentNotFoundBeforeTheQueryIsRead()
    {
        await using var core = await StartAsync();

        var error = await Assert.ThrowsAsync<RuntimeException>(() => core.Get<StateManager>().QueryAsync("nope", "not a query", CancellationToken.None));

        Assert.Equal(ErrorCode.ComponentNotFound, error.Code);
    }

    [Fact]
    public async Task QueryAsync_MalformedQuery_InvalidArgument()
    {
        await using var core = await StartAsync();

        var error = await Assert.ThrowsAsync<RuntimeException>(() => core.Get<StateManager>().QueryAsync("statestore", """{"filter": {"EQ": {}}}""", CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Equal("query filter.EQ is an empty object; EQ takes one key and a value.", error.Message);
    }

    private static Task<CoreHarness> StartAsync() => CoreHarness.StartAsync(
        TwoStores,
        services: collection => collection.AddSingleton<IStoreFactory<IStateStore>>(new StoreFactory<IStateStore>("state.postgresql", _ => new PlainStore())));

    /// <summary>A state store that cannot query, in the place of the PostgreSQL one (which needs a database).</summary>
    private sealed class PlainStore : IStateStore
    {
        public Task<IReadOnlyDictionary<string, StoredState>> GetAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, StoredState>>(new Dictionary<string, StoredState>());

        public Task<IReadOnlyList<long?>> ApplyAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<long?>>([.. writes.Select(_ => (long?)1)]);

        public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken) => Task.FromResult(0);

        public Task CheckHealthAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
