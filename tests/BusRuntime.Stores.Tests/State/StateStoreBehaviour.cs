using System.Collections.Concurrent;
using System.Text;
using BusRuntime.Core.State;

namespace BusRuntime.Stores.Tests.State;

/// <summary>
/// What every state store does, whatever keeps the entries. Time is the store's: a subclass moves it
/// forward (a fake clock in memory, real waiting on the database's clock), so TTLs here are 1 s.
/// </summary>
public abstract class StateStoreBehaviour
{
    private readonly Dictionary<string, IStateStore> stores = new(StringComparer.Ordinal);

    protected IStateStore Store => StoreNamed("statestore");

    /// <summary>A new store for the component <paramref name="name"/>, empty at the start of a test.</summary>
    protected abstract IStateStore CreateStore(string name);

    /// <summary>Lets <paramref name="duration"/> pass on the store's clock.</summary>
    protected abstract Task ElapseAsync(TimeSpan duration);

    /// <summary>The store's clock.</summary>
    protected abstract Task<DateTimeOffset> NowAsync();

    /// <summary>True for a store whose server removes expired entries itself (Redis), leaving the sweep nothing to delete.</summary>
    protected virtual bool ExpiresEntriesItself => false;

    protected IStateStore StoreNamed(string name)
    {
        if (!stores.TryGetValue(name, out var store))
        {
            store = CreateStore(name);
            stores[name] = store;
        }

        return store;
    }

    [Fact]
    public async Task GetAsync_MissingKeys_ReturnsNothing()
    {
        var found = await Store.GetAsync(["missing", "absent"], CancellationToken.None);

        Assert.Empty(found);
    }

    [Fact]
    public async Task ApplyAsync_Upsert_GetReturnsValueAndETag()
    {
        var etags = await Store.ApplyAsync([Upsert("k", "v1")], CancellationToken.None);

        var found = await Store.GetAsync(["k", "missing"], CancellationToken.None);
        var entry = Assert.Single(found).Value;
        Assert.Equal("v1", Text(entry));
        Assert.Equal(etags[0], entry.ETag);
        Assert.Null(entry.ExpiresAt);
    }

    [Theory]
    [InlineData("{ \"b\": 1.50,\n  \"a\": [true, null] }")]
    [InlineData("\ufeff\"caf\u00e9\"")]
    [InlineData("{\"a\": 1, \"a\": 2}")]
    [InlineData("not json {")]
    public async Task ApplyAsync_UpsertWithAndWithoutETag_GetReturnsTheValueByteForByte(string value)
    {
        var etag = await ApplyOneAsync(Upsert("plain", value));
        await ApplyOneAsync(Upsert("checked", "old"));
        var old = await GetAsync("checked");
        await ApplyOneAsync(Upsert("checked", value, StatePrecondition.MustMatch(old!.ETag)));

        var found = await Store.GetAsync(["plain", "checked"], CancellationToken.None);
        Assert.NotNull(etag);
        Assert.Equal(Encoding.UTF8.GetBytes(value), found["plain"].Value.ToArray());
        Assert.Equal(Encoding.UTF8.GetBytes(value), found["checked"].Value.ToArray());
    }

    [Fact]
    public async Task ApplyAsync_LongestKeyAnAppMayName_RoundTrips()
    {
        // 1,024 bytes of UTF-8 (BusRuntime.Core.Stores.StorableText.MaxBytes) behind the longest app id prefix.
        var key = new string('a', 48) + "||" + new string('鍵', 341) + "k";

        await ApplyOneAsync(Upsert(key, "v"));

        Assert.Equal("v", Text((await GetAsync(key))!));
    }

    [Fact]
    public async Task ApplyAsync_EmptyBatch_ReturnsNoETags()
    {
        var etags = await Store.ApplyAsync([], CancellationToken.None);

        Assert.Empty(etags);
    }

    [Fact]
    public async Task ApplyAsync_EveryWrite_ChangesTheETag()
    {
        var first = await ApplyOneAsync(Upsert("k", "v1"));
        var second = await ApplyOneAsync(Upsert("k", "v2"));
        var third = await ApplyOneAsync(Upsert("k", "v2"));

        Assert.Equal(3, new[] { first, second, third }.Distinct().Count());
        Assert.Equal(third, (await GetAsync("k"))!.ETag);
    }

    [Fact]
    public async Task ApplyAsync_DeleteAndRecreate_NeverReusesAnETag()
    {
        var seen = new HashSet<long?>();
        for (var round = 0; round < 3; round++)
        {
            Assert.True(seen.Add(await ApplyOneAsync(Upsert("k", $"v{round}"))));
            await ApplyOneAsync(StateWrite.Delete("k", StatePrecondition.None));
        }

        Assert.True(seen.Add(await ApplyOneAsync(Upsert("other", "v"))));
    }

    [Fact]
    public async Task ApplyAsync_MustMatchCurrentETag_Applies()
    {
        var etag = await ApplyOneAsync(Upsert("k", "v1"));

        var next = await ApplyOneAsync(Upsert("k", "v2", StatePrecondition.MustMatch(etag!.Value)));

        var entry = await GetAsync("k");
        Assert.Equal("v2", Text(entry!));
        Assert.Equal(next, entry!.ETag);
    }

    [Fact]
    public async Task ApplyAsync_MustMatchStaleETag_ThrowsAtItsIndexAndAppliesNothing()
    {
        var stale = await ApplyOneAsync(Upsert("k", "v1"));
        var current = await ApplyOneAsync(Upsert("k", "v2"));

        var mismatch = await Assert.ThrowsAsync<ETagMismatchException>(() => Store.ApplyAsync(
            [Upsert("other", "x"), Upsert("k", "v3", StatePrecondition.MustMatch(stale!.Value))], CancellationToken.None));

        Assert.Equal(1, mismatch.WriteIndex);
        Assert.Null(await GetAsync("other"));
        var entry = await GetAsync("k");
        Assert.Equal("v2", Text(entry!));
        Assert.Equal(current, entry!.ETag);
    }

    [Fact]
    public async Task ApplyAsync_MustMatchOnMissingKey_Throws()
    {
        var mismatch = await Assert.ThrowsAsync<ETagMismatchException>(() =>
            ApplyOneAsync(Upsert("k", "v", StatePrecondition.MustMatch(1))));

        Assert.Equal(0, mismatch.WriteIndex);
        Assert.Null(await GetAsync("k"));
    }

    [Fact]
    public async Task ApplyAsync_MustNotExistOnExistingKey_ThrowsAndKeepsTheEntry()
    {
        var etag = await ApplyOneAsync(Upsert("k", "v1"));

        var mismatch = await Assert.ThrowsAsync<ETagMismatchException>(() =>
            ApplyOneAsync(Upsert("k", "v2", StatePrecondition.MustNotExist)));

        Assert.Equal(0, mismatch.WriteIndex);
        var entry = await GetAsync("k");
        Assert.Equal("v1", Text(entry!));
        Assert.Equal(etag, entry!.ETag);
    }

    [Fact]
    public async Task ApplyAsync_MustNotExistOnMissingKey_Creates()
    {
        var etag = await ApplyOneAsync(Upsert("k", "v", StatePrecondition.MustNotExist));

        Assert.Equal(etag, (await GetAsync("k"))!.ETag);
    }

    [Fact]
    public async Task ApplyAsync_DeleteWithoutPrecondition_SucceedsWhetherOrNotTheKeyExists()
    {
        await ApplyOneAsync(Upsert("k", "v"));

        var etags = await Store.ApplyAsync(
            [StateWrite.Delete("k", StatePrecondition.None), StateWrite.Delete("missing", StatePrecondition.None)], CancellationToken.None);

        Assert.Equal([null, null], etags);
        Assert.Null(await GetAsync("k"));
    }

    [Fact]
    public async Task ApplyAsync_DeleteWithStaleETag_ThrowsAndKeepsTheEntry()
    {
        var stale = await ApplyOneAsync(Upsert("k", "v1"));
        await ApplyOneAsync(Upsert("k", "v2"));

        await Assert.ThrowsAsync<ETagMismatchException>(() => ApplyOneAsync(StateWrite.Delete("k", StatePrecondition.MustMatch(stale!.Value))));

        Assert.Equal("v2", Text((await GetAsync("k"))!));
    }

    [Fact]
    public async Task ApplyAsync_DeleteWithCurrentETag_Deletes()
    {
        var etag = await ApplyOneAsync(Upsert("k", "v"));

        await ApplyOneAsync(StateWrite.Delete("k", StatePrecondition.MustMatch(etag!.Value)));

        Assert.Null(await GetAsync("k"));
    }

    [Fact]
    public async Task ApplyAsync_DeleteMustNotExist_SucceedsOnlyWhenTheKeyIsMissing()
    {
        await ApplyOneAsync(Upsert("k", "v"));

        await ApplyOneAsync(StateWrite.Delete("missing", StatePrecondition.MustNotExist));
        await Assert.ThrowsAsync<ETagMismatchException>(() => ApplyOneAsync(StateWrite.Delete("k", StatePrecondition.MustNotExist)));

        Assert.Equal("v", Text((await GetAsync("k"))!));
    }

    [Fact]
    public async Task ApplyAsync_ThirdWriteFails_LeavesTheFirstTwoUnapplied()
    {
        await ApplyOneAsync(Upsert("b", "b1"));
        var stale = await ApplyOneAsync(Upsert("c", "c1"));
        await ApplyOneAsync(Upsert("c", "c2"));

        var mismatch = await Assert.ThrowsAsync<ETagMismatchException>(() => Store.ApplyAsync(
            [Upsert("a", "a1"), StateWrite.Delete("b", StatePrecondition.None), Upsert("c", "c3", StatePrecondition.MustMatch(stale!.Value))],
            CancellationToken.None));

        Assert.Equal(2, mismatch.WriteIndex);
        var found = await Store.GetAsync(["a", "b", "c"], CancellationToken.None);
        Assert.Equal(["b", "c"], found.Keys.Order());
        Assert.Equal("b1", Text(found["b"]));
        Assert.Equal("c2", Text(found["c"]));
    }

    [Fact]
    public async Task ApplyAsync_UpsertThenDeleteInOneBatch_LeavesNoEntry()
    {
        var etags = await Store.ApplyAsync([Upsert("k", "v"), StateWrite.Delete("k", StatePrecondition.None)], CancellationToken.None);

        Assert.NotNull(etags[0]);
        Assert.Null(etags[1]);
        Assert.Null(await GetAsync("k"));
    }

    [Fact]
    public async Task ApplyAsync_UpsertTwiceInOneBatch_KeepsTheSecond()
    {
        var etags = await Store.ApplyAsync([Upsert("k", "v1"), Upsert("k", "v2")], CancellationToken.None);

        Assert.NotEqual(etags[0], etags[1]);
        var entry = await GetAsync("k");
        Assert.Equal("v2", Text(entry!));
        Assert.Equal(etags[1], entry!.ETag);
    }

    [Fact]
    public async Task ApplyAsync_PreconditionInABatch_SeesTheEarlierWrites()
    {
        var mismatch = await Assert.ThrowsAsync<ETagMismatchException>(() => Store.ApplyAsync(
            [Upsert("k", "v1", StatePrecondition.MustNotExist), Upsert("k", "v2", StatePrecondition.MustNotExist)], CancellationToken.None));
        Assert.Equal(1, mismatch.WriteIndex);
        Assert.Null(await GetAsync("k"));

        var etag = await ApplyOneAsync(Upsert("k", "v1"));
        var etags = await Store.ApplyAsync(
            [StateWrite.Delete("k", StatePrecondition.MustMatch(etag!.Value)), Upsert("k", "v2", StatePrecondition.MustNotExist)], CancellationToken.None);

        Assert.Equal(etags[1], (await GetAsync("k"))!.ETag);
    }

    [Fact]
    public async Task ApplyAsync_AfterSeconds_HidesTheEntryOnceExpired()
    {
        var before = await NowAsync();
        await ApplyOneAsync(Upsert("k", "v", expiry: StateExpiry.After(1)));
        var after = await NowAsync();

        var entry = await GetAsync("k");
        Assert.NotNull(entry);
        Assert.InRange(entry.ExpiresAt!.Value, before.AddSeconds(1), after.AddSeconds(1));

        await ElapseAsync(TimeSpan.FromSeconds(1));

        Assert.Null(await GetAsync("k"));
    }

    [Fact]
    public async Task ApplyAsync_KeepOnUpdate_KeepsTheExpiry()
    {
        await ApplyOneAsync(Upsert("k", "v1", expiry: StateExpiry.After(3600)));
        var expiresAt = (await GetAsync("k"))!.ExpiresAt;

        await ApplyOneAsync(Upsert("k", "v2", expiry: StateExpiry.Keep));

        var entry = await GetAsync("k");
        Assert.Equal("v2", Text(entry!));
        Assert.NotNull(expiresAt);
        Assert.Equal(expiresAt, entry!.ExpiresAt);
    }

    [Fact]
    public async Task ApplyAsync_KeepWithMustMatch_KeepsTheExpiry()
    {
        var etag = await ApplyOneAsync(Upsert("k", "v1", expiry: StateExpiry.After(3600)));
        var expiresAt = (await GetAsync("k"))!.ExpiresAt;

        await ApplyOneAsync(Upsert("k", "v2", StatePrecondition.MustMatch(etag!.Value), StateExpiry.Keep));

        Assert.Equal(expiresAt, (await GetAsync("k"))!.ExpiresAt);
    }

    [Fact]
    public async Task ApplyAsync_NeverOnUpdate_RemovesTheExpiry()
    {
        await ApplyOneAsync(Upsert("k", "v1", expiry: StateExpiry.After(1)));

        await ApplyOneAsync(Upsert("k", "v2", expiry: StateExpiry.Never));
        await ElapseAsync(TimeSpan.FromSeconds(1));

        var entry = await GetAsync("k");
        Assert.Equal("v2", Text(entry!));
        Assert.Null(entry!.ExpiresAt);
    }

    [Fact]
    public async Task ApplyAsync_KeepOnAnExpiredEntry_SetsNoExpiry()
    {
        await ApplyOneAsync(Upsert("k", "v1", expiry: StateExpiry.After(1)));
        await ElapseAsync(TimeSpan.FromSeconds(1));

        await ApplyOneAsync(Upsert("k", "v2", expiry: StateExpiry.Keep));

        var entry = await GetAsync("k");
        Assert.Equal("v2", Text(entry!));
        Assert.Null(entry!.ExpiresAt);
    }

    [Fact]
    public async Task ApplyAsync_ExpiredEntry_CountsAsAbsentForPreconditions()
    {
        var matched = await ApplyOneAsync(Upsert("matched", "v", expiry: StateExpiry.After(1)));
        var deleted = await ApplyOneAsync(Upsert("deleted", "v", expiry: StateExpiry.After(1)));
        await ApplyOneAsync(Upsert("created", "v", expiry: StateExpiry.After(1)));
        await ElapseAsync(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<ETagMismatchException>(() => ApplyOneAsync(Upsert("matched", "v2", StatePrecondition.MustMatch(matched!.Value))));
        await Assert.ThrowsAsync<ETagMismatchException>(() => ApplyOneAsync(StateWrite.Delete("deleted", StatePrecondition.MustMatch(deleted!.Value))));
        var created = await ApplyOneAsync(Upsert("created", "v2", StatePrecondition.MustNotExist));

        var found = await Store.GetAsync(["matched", "deleted", "created"], CancellationToken.None);
        var entry = Assert.Single(found);
        Assert.Equal("created", entry.Key);
        Assert.Equal(created, entry.Value.ETag);
        Assert.Null(entry.Value.ExpiresAt);
    }

    [Fact]
    public async Task DeleteExpiredAsync_SomeExpired_DeletesThemAndSaysHowMany()
    {
        await Store.ApplyAsync(
            [
                Upsert("a", "v", expiry: StateExpiry.After(1)),
                Upsert("b", "v", expiry: StateExpiry.After(1)),
                Upsert("c", "v", expiry: StateExpiry.After(1)),
                Upsert("forever", "v"),
                Upsert("later", "v", expiry: StateExpiry.After(3600)),
            ],
            CancellationToken.None);
        await ElapseAsync(TimeSpan.FromSeconds(1));

        var deleted = await Store.DeleteExpiredAsync(CancellationToken.None);
        var again = await Store.DeleteExpiredAsync(CancellationToken.None);

        Assert.Equal(ExpiresEntriesItself ? 0 : 3, deleted);
        Assert.Equal(0, again);
        Assert.Equal(["forever", "later"], (await Store.GetAsync(["a", "b", "c", "forever", "later"], CancellationToken.None)).Keys.Order());
    }

    [Fact]
    public async Task ApplyAsync_AnotherComponentWritesTheSameKey_LeavesThisOnesEntryAlone()
    {
        var one = StoreNamed("one");
        var two = StoreNamed("two");
        var etag = (await one.ApplyAsync([Upsert("k", "one")], CancellationToken.None))[0];

        Assert.Empty(await two.GetAsync(["k"], CancellationToken.None));
        await two.ApplyAsync([Upsert("k", "two", StatePrecondition.MustNotExist)], CancellationToken.None);
        await two.ApplyAsync([StateWrite.Delete("k", StatePrecondition.None)], CancellationToken.None);

        var entry = Assert.Single(await one.GetAsync(["k"], CancellationToken.None)).Value;
        Assert.Equal("one", Text(entry));
        Assert.Equal(etag, entry.ETag);
    }

    [Fact]
    public async Task ApplyAsync_ParallelMustMatchWriters_ExactlyOneWinnerPerVersion()
    {
        const int Writers = 50;
        const int Rounds = 4;
        var first = await ApplyOneAsync(Upsert("counter", "start"));
        var wins = new ConcurrentBag<(long Read, long Written, string Value)>();
        var conflicts = 0;

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                var read = (await Store.GetAsync(["counter"], CancellationToken.None))["counter"].ETag;

                // Lets the other writers read the same version, even on a store that answers synchronously.
                await Task.Yield();
                var value = $"{writer}/{round}";
                try
                {
                    var written = await ApplyOneAsync(Upsert("counter", value, StatePrecondition.MustMatch(read)));
                    wins.Add((read, written!.Value, value));
                }
                catch (ETagMismatchException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        })));

        // The wins form one chain of versions from the first: no version won twice, none lost.
        Assert.Equal(Writers * Rounds, wins.Count + conflicts);
        Assert.Equal(wins.Count, wins.Select(win => win.Read).Distinct().Count());
        var byRead = wins.ToDictionary(win => win.Read);
        var version = first!.Value;
        var lastValue = "start";
        var changes = 0;
        while (byRead.TryGetValue(version, out var win))
        {
            (version, lastValue) = (win.Written, win.Value);
            changes++;
        }

        Assert.Equal(wins.Count, changes);
        var final = (await GetAsync("counter"))!;
        Assert.Equal(version, final.ETag);
        Assert.Equal(lastValue, Text(final));
    }

    [Fact]
    public async Task ApplyAsync_ParallelBatchesWritingTwoKeysInOppositeOrders_AllApplyAsOne()
    {
        await Store.ApplyAsync([Upsert("a", "start"), Upsert("b", "start")], CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(writer => Task.Run(async () =>
        {
            for (var round = 0; round < 10; round++)
            {
                var (first, second) = (writer + round) % 2 == 0 ? ("a", "b") : ("b", "a");
                var value = $"{writer}/{round}";
                await Store.ApplyAsync([Upsert(first, value), Upsert(second, value)], CancellationToken.None);
            }
        })));

        var found = await Store.GetAsync(["a", "b"], CancellationToken.None);
        Assert.NotEqual("start", Text(found["a"]));
        Assert.Equal(Text(found["a"]), Text(found["b"]));
    }

    /// <summary>An upsert, by default unconditional and keeping the expiry (as when an app gives no TTL).</summary>
    protected static StateWrite Upsert(string key, string value, StatePrecondition precondition = default, StateExpiry? expiry = null) =>
        StateWrite.Upsert(key, Encoding.UTF8.GetBytes(value), precondition, expiry ?? StateExpiry.Keep);

    protected static string Text(StoredState entry) => Encoding.UTF8.GetString(entry.Value.Span);

    protected async Task<long?> ApplyOneAsync(StateWrite write) => (await Store.ApplyAsync([write], CancellationToken.None))[0];

    protected async Task<StoredState?> GetAsync(string key) =>
        (await Store.GetAsync([key], CancellationToken.None)).GetValueOrDefault(key);
}
