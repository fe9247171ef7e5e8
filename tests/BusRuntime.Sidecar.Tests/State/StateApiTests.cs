using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.State;

/// <summary>busruntime.v1 state calls against the embedded default store "statestore" (in memory).</summary>
public sealed class StateApiTests(EmbeddedSidecar embedded) : IClassFixture<EmbeddedSidecar>
{
    private const string Store = "statestore";

    private Runtime.RuntimeClient Runtime => embedded.Sidecar.Runtime;

    [Fact]
    public async Task SaveState_ThenGetState_ReturnsTheBytesAndANewEtagPerWrite()
    {
        var key = EmbeddedSidecar.Key("order");

        await SaveAsync(new StateItem { Key = key, Value = ByteString.CopyFromUtf8("v1") });
        var first = await GetAsync(key);
        await SaveAsync(new StateItem { Key = key, Value = ByteString.CopyFromUtf8("v2") });
        var second = await GetAsync(key);

        Assert.Equal("v1", first.Data.ToStringUtf8());
        Assert.Equal("v2", second.Data.ToStringUtf8());
        Assert.NotEqual("", first.Etag);
        Assert.NotEqual(first.Etag, second.Etag);
    }

    [Fact]
    public async Task GetState_MissingKey_ReturnsEmptyDataAndEtagWithoutError()
    {
        var response = await GetAsync(EmbeddedSidecar.Key("missing"));

        Assert.True(response.Data.IsEmpty);
        Assert.Equal("", response.Etag);
    }

    [Fact]
    public async Task SaveState_CurrentEtag_WinsAndAStaleEtagIsAbortedNamingTheKey()
    {
        var key = EmbeddedSidecar.Key("counter");
        await SaveAsync(new StateItem { Key = key, Value = ByteString.CopyFromUtf8("0") });
        var read = await GetAsync(key);

        await SaveAsync(new StateItem { Key = key, Value = ByteString.CopyFromUtf8("1"), Etag = new Etag { Value = read.Etag } });
        var stale = await Assert.ThrowsAsync<RpcException>(() => SaveAsync(new StateItem { Key = key, Value = ByteString.CopyFromUtf8("2"), Etag = new Etag { Value = read.Etag } }));

        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        Assert.Equal($"states[0]: key '{key}' was not written, its etag is not '{read.Etag}': the entry was changed or deleted since that etag was read; nothing was saved.", stale.Status.Detail);
        Assert.Equal("1", (await GetAsync(key)).Data.ToStringUtf8());
    }

    [Fact]
    public async Task SaveState_SeveralItemsOneStale_SavesNone()
    {
        var fresh = EmbeddedSidecar.Key("fresh");
        var existing = EmbeddedSidecar.Key("existing");
        await SaveAsync(new StateItem { Key = existing, Value = ByteString.CopyFromUtf8("old") });

        var error = await Assert.ThrowsAsync<RpcException>(() => SaveAsync(
            new StateItem { Key = fresh, Value = ByteString.CopyFromUtf8("new") },
            new StateItem { Key = existing, Value = ByteString.CopyFromUtf8("new"), Etag = new Etag { Value = "999999999" } }));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.StartsWith($"states[1]: key '{existing}' was not written", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("", (await GetAsync(fresh)).Etag);
        Assert.Equal("old", (await GetAsync(existing)).Data.ToStringUtf8());
    }

    [Fact]
    public async Task SaveState_FirstWriteWithoutEtag_CreatesOnceThenIsAborted()
    {
        var key = EmbeddedSidecar.Key("first");
        var firstWrite = new StateOptions { Concurrency = StateOptions.Types.StateConcurrency.ConcurrencyFirstWrite };

        await SaveAsync(new StateItem { Key = key, Value = ByteString.CopyFromUtf8("a"), Options = firstWrite });
        var again = await Assert.ThrowsAsync<RpcException>(() => SaveAsync(new StateItem { Key = key, Value = ByteString.CopyFromUtf8("b"), Options = firstWrite }));
        await SaveAsync(new StateItem { Key = key, Value = ByteString.CopyFromUtf8("c") });

        Assert.Equal(StatusCode.Aborted, again.StatusCode);
        Assert.Contains("it already exists and FIRST_WRITE without an etag only creates", again.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("c", (await GetAsync(key)).Data.ToStringUtf8());
    }

    [Fact]
    public async Task SaveState_EmptyEtag_CreatesOnlyWhenTheKeyDoesNotExist()
    {
        var key = EmbeddedSidecar.Key("create");

        await SaveAsync(new StateItem { Key = key, Value = ByteString.CopyFromUtf8("a"), Etag = new Etag { Value = "" } });
        var again = await Assert.ThrowsAsync<RpcException>(() => SaveAsync(new StateItem { Key = key, Value = ByteString.CopyFromUtf8("b"), Etag = new Etag { Value = "" } }));

        Assert.Equal(StatusCode.Aborted, again.StatusCode);
        Assert.Contains("an empty etag means the key must not exist", again.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("a", (await GetAsync(key)).Data.ToStringUtf8());
    }

    [Fact]
    public async Task GetBulkState_SomeKeysMissing_ReturnsAnItemPerKeyInOrder()
    {
        var present = EmbeddedSidecar.Key("present");
        var missing = EmbeddedSidecar.Key("missing");
        await SaveAsync(new StateItem { Key = present, Value = ByteString.CopyFromUtf8("here") });

        var response = await Runtime.GetBulkStateAsync(new GetBulkStateRequest { StoreName = Store, Keys = { missing, present } });

        Assert.Equal([missing, present], response.Items.Select(item => item.Key));
        Assert.True(response.Items[0].Data.IsEmpty);
        Assert.Equal("", response.Items[0].Etag);
        Assert.Equal("here", response.Items[1].Data.ToStringUtf8());
        Assert.Equal((await GetAsync(present)).Etag, response.Items[1].Etag);
    }

    [Fact]
    public async Task DeleteState_WithEtag_DeletesOnlyWhenItMatches()
    {
        var key = EmbeddedSidecar.Key("delete");
        await SaveAsync(new StateItem { Key = key, Value = ByteString.CopyFromUtf8("x") });
        var etag = (await GetAsync(key)).Etag;
        await SaveAsync(new StateItem { Key = key, Value = ByteString.CopyFromUtf8("y") });

        var stale = await Assert.ThrowsAsync<RpcException>(async () => await Runtime.DeleteStateAsync(new DeleteStateRequest { StoreName = Store, Key = key, Etag = new Etag { Value = etag } }));
        await Runtime.DeleteStateAsync(new DeleteStateRequest { StoreName = Store, Key = key, Etag = new Etag { Value = (await GetAsync(key)).Etag } });
        await Runtime.DeleteStateAsync(new DeleteStateRequest { StoreName = Store, Key = key });

        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        Assert.Contains("nothing was deleted", stale.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("", (await GetAsync(key)).Etag);
    }

    [Fact]
    public async Task DeleteBulkState_TwoKeys_DeletesBoth()
    {
        var keys = new[] { EmbeddedSidecar.Key("bulk"), EmbeddedSidecar.Key("bulk") };
        await SaveAsync([.. keys.Select(key => new StateItem { Key = key, Value = ByteString.CopyFromUtf8("v") })]);

        await Runtime.DeleteBulkStateAsync(new DeleteBulkStateRequest { StoreName = Store, States = { keys.Select(key => new StateItem { Key = key }) } });

        var response = await Runtime.GetBulkStateAsync(new GetBulkStateRequest { StoreName = Store, Keys = { keys } });
        Assert.All(response.Items, item => Assert.Equal("", item.Etag));
    }

    [Fact]
    public async Task ExecuteStateTransaction_AppliesOperationsInOrder()
    {
        var kept = EmbeddedSidecar.Key("kept");
        var gone = EmbeddedSidecar.Key("gone");

        await Runtime.ExecuteStateTransactionAsync(new ExecuteStateTransactionRequest
        {
            StoreName = Store,
            Operations =
            {
                Upsert(kept, "1"),
                Upsert(gone, "1"),
                Upsert(kept, "2"),
                new TransactionalStateOperation { OperationType = "delete", Request = new StateItem { Key = gone } },
            },
        });

        Assert.Equal("2", (await GetAsync(kept)).Data.ToStringUtf8());
        Assert.Equal("", (await GetAsync(gone)).Etag);
    }

    [Fact]
    public async Task ExecuteStateTransaction_EtagMismatchInTheThirdOperation_AppliesNoneAndNamesTheKey()
    {
        var first = EmbeddedSidecar.Key("first");
        var guarded = EmbeddedSidecar.Key("guarded");
        await SaveAsync(new StateItem { Key = guarded, Value = ByteString.CopyFromUtf8("original") });
        var stale = (await GetAsync(guarded)).Etag;
        await SaveAsync(new StateItem { Key = guarded, Value = ByteString.CopyFromUtf8("changed") });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Runtime.ExecuteStateTransactionAsync(new ExecuteStateTransactionRequest
        {
            StoreName = Store,
            Operations =
            {
                Upsert(first, "1"),
                new TransactionalStateOperation { OperationType = "delete", Request = new StateItem { Key = EmbeddedSidecar.Key("absent") } },
                new TransactionalStateOperation { OperationType = "upsert", Request = new StateItem { Key = guarded, Value = ByteString.CopyFromUtf8("mine"), Etag = new Etag { Value = stale } } },
            },
        }));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.StartsWith($"operations[2].request: key '{guarded}' was not written", error.Status.Detail, StringComparison.Ordinal);
        Assert.EndsWith("nothing was applied.", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("", (await GetAsync(first)).Etag);
        Assert.Equal("changed", (await GetAsync(guarded)).Data.ToStringUtf8());
    }

    [Fact]
    public async Task SaveState_TtlInSeconds_ReportsTheExpiryAndHidesTheKeyOnceItPassed()
    {
        var key = EmbeddedSidecar.Key("ttl");
        var before = DateTimeOffset.UtcNow;

        await SaveAsync(new StateItem { Key = key, Value = ByteString.CopyFromUtf8("short"), Metadata = { ["ttlInSeconds"] = "1" } });
        var read = await GetAsync(key);

        var expireTime = DateTimeOffset.Parse(read.Metadata["ttlExpireTime"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expireTime, before.AddSeconds(-1), before.AddSeconds(3));
        await Poll.UntilAsync(async () => (await GetAsync(key)).Etag == "", TimeSpan.FromSeconds(5), () => "the entry is still readable after its TTL");
    }

    [Fact]
    public async Task SaveState_TtlMinusOne_RemovesTheTtlAndAnUpdateWithoutTtlKeepsIt()
    {
        var kept = EmbeddedSidecar.Key("kept-ttl");
        var removed = EmbeddedSidecar.Key("removed-ttl");
        await SaveAsync(
            new StateItem { Key = kept, Value = ByteString.CopyFromUtf8("1"), Metadata = { ["ttlInSeconds"] = "3600" } },
            new StateItem { Key = removed, Value = ByteString.CopyFromUtf8("1"), Metadata = { ["ttlInSeconds"] = "3600" } });

        await SaveAsync(
            new StateItem { Key = kept, Value = ByteString.CopyFromUtf8("2") },
            new StateItem { Key = removed, Value = ByteString.CopyFromUtf8("2"), Metadata = { ["ttlInSeconds"] = "-1" } });

        Assert.True((await GetAsync(kept)).Metadata.ContainsKey("ttlExpireTime"));
        Assert.False((await GetAsync(removed)).Metadata.ContainsKey("ttlExpireTime"));
    }

    [Fact]
    public async Task SaveState_ConcurrentWritersWithEtags_ExactlyOneWinsPerVersion()
    {
        var key = EmbeddedSidecar.Key("race");
        await SaveAsync(new StateItem { Key = key, Value = ByteString.CopyFromUtf8("0") });
        var wins = 0;
        var aborted = 0;

        await Task.WhenAll(Enumerable.Range(0, 50).Select(async writer =>
        {
            for (var round = 0; round < 5; round++)
            {
                var read = await GetAsync(key);
                var next = int.Parse(read.Data.ToStringUtf8(), System.Globalization.CultureInfo.InvariantCulture) + 1;
                try
                {
                    await SaveAsync(new StateItem { Key = key, Value = ByteString.CopyFromUtf8(next.ToString(System.Globalization.CultureInfo.InvariantCulture)), Etag = new Etag { Value = read.Etag } });
                    Interlocked.Increment(ref wins);
                }
                catch (RpcException exception) when (exception.StatusCode == StatusCode.Aborted)
                {
                    Interlocked.Increment(ref aborted);
                }
            }
        }));

        // Every successful write read the value the previous winner wrote: the counter equals the wins.
        Assert.Equal(wins.ToString(System.Globalization.CultureInfo.InvariantCulture), (await GetAsync(key)).Data.ToStringUtf8());
        Assert.Equal(250, wins + aborted);
        Assert.True(wins >= 5, $"only {wins} writes won");
    }

    public static TheoryData<string, string, StatusCode, string> BadSaves => new()
    {
        { "", "k", StatusCode.InvalidArgument, "store_name is empty; name a state store: statestore." },
        { "orders-db", "k", StatusCode.NotFound, "store_name 'orders-db' is not a configured state store; configured: statestore." },
        { Store, "", StatusCode.InvalidArgument, "states[0].key is empty; name the key." },
        { Store, "a||b", StatusCode.InvalidArgument, "states[0].key 'a||b' contains '||', which separates a key from its scope; choose another key." },
    };

    [Theory]
    [MemberData(nameof(BadSaves))]
    public async Task SaveState_BadStoreOrKey_ReturnsPreciseStatus(string storeName, string key, StatusCode code, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Runtime.SaveStateAsync(new SaveStateRequest { StoreName = storeName, States = { new StateItem { Key = key, Value = ByteString.CopyFromUtf8("v") } } }));

        Assert.Equal(code, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData(" 7")]
    public async Task SaveState_MalformedEtag_ReturnsInvalidArgument(string etag)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            SaveAsync(new StateItem { Key = EmbeddedSidecar.Key("etag"), Value = ByteString.CopyFromUtf8("v"), Etag = new Etag { Value = etag } }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal($"states[0].etag '{etag}' is not an etag (etags are the positive whole numbers reads return); pass the etag a read returned, or no etag.", error.Status.Detail);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("soon")]
    public async Task SaveState_BadTtl_ReturnsInvalidArgument(string ttl)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            SaveAsync(new StateItem { Key = EmbeddedSidecar.Key("ttl"), Value = ByteString.CopyFromUtf8("v"), Metadata = { ["ttlInSeconds"] = ttl } }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith($"states[0].metadata.ttlInSeconds '{ttl}' is not a TTL", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveState_ValueOverTheMaximum_ReturnsInvalidArgumentNamingTheLimit()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            SaveAsync(new StateItem { Key = EmbeddedSidecar.Key("big"), Value = ByteString.CopyFrom(new byte[1025]) }));
        await SaveAsync(new StateItem { Key = EmbeddedSidecar.Key("big"), Value = ByteString.CopyFrom(new byte[1024]) });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("states[0].value is 1025 bytes, over the maximum of 1024 bytes (BusRuntime:MaxPayloadBytes).", error.Status.Detail);
    }

    [Fact]
    public async Task ExecuteStateTransaction_UnknownOperationType_ReturnsInvalidArgumentNamingTheIndex()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Runtime.ExecuteStateTransactionAsync(new ExecuteStateTransactionRequest
        {
            StoreName = Store,
            Operations = { Upsert(EmbeddedSidecar.Key("t"), "1"), new TransactionalStateOperation { OperationType = "merge", Request = new StateItem { Key = "k" } } },
        }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("operations[1].operation_type 'merge' is not one of: upsert, delete.", error.Status.Detail);
    }

    [Fact]
    public async Task DeleteState_FirstWriteWithoutEtag_ReturnsInvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Runtime.DeleteStateAsync(new DeleteStateRequest
        {
            StoreName = Store,
            Key = "k",
            Options = new StateOptions { Concurrency = StateOptions.Types.StateConcurrency.ConcurrencyFirstWrite },
        }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("the request is a FIRST_WRITE delete without an etag; pass the etag of the entry to delete.", error.Status.Detail);
    }

    private static TransactionalStateOperation Upsert(string key, string value) =>
        new() { OperationType = "upsert", Request = new StateItem { Key = key, Value = ByteString.CopyFromUtf8(value) } };

    private async Task SaveAsync(params StateItem[] items) =>
        await Runtime.SaveStateAsync(new SaveStateRequest { StoreName = Store, States = { items } });

    private async Task<GetStateResponse> GetAsync(string key) =>
        await Runtime.GetStateAsync(new GetStateRequest { StoreName = Store, Key = key });
}
