using BusRuntime.Protos.Layotto.Runtime.V1;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Layotto;

/// <summary>Layotto's lock, sequencer and secret rpcs, from a client generated from Layotto's protos.</summary>
public sealed class LayottoLockSequenceSecretApiTests(LayottoSidecar fixture) : IClassFixture<LayottoSidecar>
{
    private const string Locks = "lockstore";

    private Runtime.RuntimeClient Layotto => fixture.Client;

    [Fact]
    public async Task TryLockAndUnlock_Owners_SuccessThenEveryUnlockStatusUnderLayottosNames()
    {
        var resource = LayottoSidecar.Key("res");

        var taken = await TryLockAsync(resource, "a", 30);
        var refused = await TryLockAsync(resource, "b", 30);
        var byOther = await Layotto.UnlockAsync(new UnlockRequest { StoreName = Locks, ResourceId = resource, LockOwner = "b" });
        var byHolder = await Layotto.UnlockAsync(new UnlockRequest { StoreName = Locks, ResourceId = resource, LockOwner = "a" });
        var gone = await Layotto.UnlockAsync(new UnlockRequest { StoreName = Locks, ResourceId = resource, LockOwner = "a" });

        Assert.True(taken);
        Assert.False(refused);
        Assert.Equal(UnlockResponse.Types.Status.LockBelongToOthers, byOther.Status);
        Assert.Equal(UnlockResponse.Types.Status.Success, byHolder.Status);
        Assert.Equal(UnlockResponse.Types.Status.LockUnexist, gone.Status);
    }

    [Fact]
    public async Task LockKeepAlive_BeforeExpiry_RenewsTheLeaseBeyondItsFirstExpiry()
    {
        var kept = LayottoSidecar.Key("kept");
        var lapsed = LayottoSidecar.Key("lapsed");
        Assert.True(await TryLockAsync(kept, "owner", 1));
        Assert.True(await TryLockAsync(lapsed, "owner", 1));

        var renewed = await Layotto.LockKeepAliveAsync(new LockKeepAliveRequest { StoreName = Locks, ResourceId = kept, LockOwner = "owner", Expire = 60 });
        var byOther = await Layotto.LockKeepAliveAsync(new LockKeepAliveRequest { StoreName = Locks, ResourceId = kept, LockOwner = "thief", Expire = 60 });
        var never = await Layotto.LockKeepAliveAsync(new LockKeepAliveRequest { StoreName = Locks, ResourceId = LayottoSidecar.Key("never"), LockOwner = "owner", Expire = 60 });
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Equal(LockKeepAliveResponse.Types.Status.Success, renewed.Status);
        Assert.Equal(LockKeepAliveResponse.Types.Status.LockBelongToOthers, byOther.Status);
        Assert.Equal(LockKeepAliveResponse.Types.Status.LockUnexist, never.Status);
        Assert.False(await TryLockAsync(kept, "other", 60));
        Assert.True(await TryLockAsync(lapsed, "other", 60));
    }

    [Theory]
    [InlineData(Locks, "r", "owner", 0, "expire is 0")]
    [InlineData(Locks, "", "owner", 10, "resource_id")]
    [InlineData(Locks, "r", "", 10, "lock_owner")]
    [InlineData("zookeeper", "r", "owner", 10, "zookeeper")]
    public async Task TryLock_BadInput_InvalidArgumentAsLayottoAnswers(string store, string resource, string owner, int expire, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Layotto.TryLockAsync(new TryLockRequest { StoreName = store, ResourceId = resource, LockOwner = owner, Expire = expire }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetNextId_WeakAndStrong_IncreasingIds()
    {
        var key = LayottoSidecar.Key("ids");

        var first = await Layotto.GetNextIdAsync(new GetNextIdRequest { StoreName = "sequencer", Key = key });
        var second = await Layotto.GetNextIdAsync(new GetNextIdRequest
        {
            StoreName = "sequencer",
            Key = key,
            Options = new SequencerOptions { Increment = SequencerOptions.Types.AutoIncrement.Strong },
        });

        Assert.True(first.NextId > 0);
        Assert.True(second.NextId > first.NextId, $"{second.NextId} after {first.NextId}");
    }

    [Fact]
    public async Task GetNextId_UnknownStore_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Layotto.GetNextIdAsync(new GetNextIdRequest { StoreName = "snowflake", Key = "k" }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("snowflake", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSecretAndGetBulkSecret_EnvironmentStore_ValuesUnderTheirKeys()
    {
        var name = $"BUSRUNTIME_LAYOTTO_TEST_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, "v4lue");
        try
        {
            var one = await Layotto.GetSecretAsync(new GetSecretRequest { StoreName = "envsecrets", Key = name });
            var all = await Layotto.GetBulkSecretAsync(new GetBulkSecretRequest { StoreName = "envsecrets" });

            Assert.Equal("v4lue", one.Data[name]);
            Assert.Equal("v4lue", all.Data[name].Secrets[name]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    private async Task<bool> TryLockAsync(string resourceId, string owner, int expire) =>
        (await Layotto.TryLockAsync(new TryLockRequest { StoreName = Locks, ResourceId = resourceId, LockOwner = owner, Expire = expire })).Success;
}
