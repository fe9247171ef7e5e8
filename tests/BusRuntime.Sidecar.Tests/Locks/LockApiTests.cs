using BusRuntime.Protos.V1;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Locks;

/// <summary>busruntime.v1 lock calls against the embedded default store "lockstore" (in memory).</summary>
public sealed class LockApiTests(EmbeddedSidecar embedded) : IClassFixture<EmbeddedSidecar>
{
    private const string Store = "lockstore";

    private Runtime.RuntimeClient Runtime => embedded.Sidecar.Runtime;

    [Fact]
    public async Task TryLock_FreeResource_TakesItAndRefusesEveryoneUntilUnlocked()
    {
        var resource = EmbeddedSidecar.Key("invoice");

        var taken = await TryLockAsync(resource, "worker-1", 60);
        var other = await TryLockAsync(resource, "worker-2", 60);
        var same = await TryLockAsync(resource, "worker-1", 60);
        var byOther = await Runtime.UnlockAsync(new UnlockRequest { StoreName = Store, ResourceId = resource, LockOwner = "worker-2" });
        var released = await Runtime.UnlockAsync(new UnlockRequest { StoreName = Store, ResourceId = resource, LockOwner = "worker-1" });
        var again = await Runtime.UnlockAsync(new UnlockRequest { StoreName = Store, ResourceId = resource, LockOwner = "worker-1" });
        var afterRelease = await TryLockAsync(resource, "worker-2", 60);

        Assert.True(taken);
        Assert.False(other);
        Assert.False(same);
        Assert.Equal(UnlockResponse.Types.Status.LockBelongsToOthers, byOther.Status);
        Assert.Equal(UnlockResponse.Types.Status.Success, released.Status);
        Assert.Equal(UnlockResponse.Types.Status.LockDoesNotExist, again.Status);
        Assert.True(afterRelease);
    }

    [Fact]
    public async Task LockKeepAlive_BeforeExpiry_KeepsTheLeaseBeyondItsFirstExpiry()
    {
        var kept = EmbeddedSidecar.Key("kept");
        var lapsed = EmbeddedSidecar.Key("lapsed");
        Assert.True(await TryLockAsync(kept, "owner", 1));
        Assert.True(await TryLockAsync(lapsed, "owner", 1));

        var renewed = await Runtime.LockKeepAliveAsync(new LockKeepAliveRequest { StoreName = Store, ResourceId = kept, LockOwner = "owner", Expire = 60 });
        var byOther = await Runtime.LockKeepAliveAsync(new LockKeepAliveRequest { StoreName = Store, ResourceId = kept, LockOwner = "thief", Expire = 60 });
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Equal(LockKeepAliveResponse.Types.Status.Success, renewed.Status);
        Assert.Equal(kept, renewed.ResourceId);
        Assert.Equal(LockKeepAliveResponse.Types.Status.LockBelongsToOthers, byOther.Status);
        Assert.False(await TryLockAsync(kept, "other", 60));
        Assert.True(await TryLockAsync(lapsed, "other", 60));
        var late = await Runtime.LockKeepAliveAsync(new LockKeepAliveRequest { StoreName = Store, ResourceId = EmbeddedSidecar.Key("never"), LockOwner = "owner", Expire = 60 });
        Assert.Equal(LockKeepAliveResponse.Types.Status.LockDoesNotExist, late.Status);
    }

    [Fact]
    public async Task TryLock_ManyConcurrentContenders_AtMostOneHoldsItAtAnyTime()
    {
        var resource = EmbeddedSidecar.Key("contended");
        var holders = 0;
        var maxHolders = 0;
        var acquisitions = 0;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(async contender =>
        {
            var owner = $"contender-{contender}";
            for (var attempt = 0; attempt < 20; attempt++)
            {
                if (!await TryLockAsync(resource, owner, 30))
                {
                    await Task.Yield();
                    continue;
                }

                var now = Interlocked.Increment(ref holders);
                InterlockedMax(ref maxHolders, now);
                Interlocked.Increment(ref acquisitions);
                await Task.Delay(1);
                Interlocked.Decrement(ref holders);
                var released = await Runtime.UnlockAsync(new UnlockRequest { StoreName = Store, ResourceId = resource, LockOwner = owner });
                Assert.Equal(UnlockResponse.Types.Status.Success, released.Status);
            }
        }));

        Assert.Equal(1, maxHolders);
        Assert.True(acquisitions > 1, $"the lock was taken {acquisitions} times");
    }

    public static TheoryData<string, string, string, int, StatusCode, string> BadLocks => new()
    {
        { "", "r", "o", 10, StatusCode.InvalidArgument, "store_name is empty; name a lock store: lockstore." },
        { "redis", "r", "o", 10, StatusCode.NotFound, "store_name 'redis' is not a configured lock store; configured: lockstore." },
        { Store, "", "o", 10, StatusCode.InvalidArgument, "resource_id is empty; name the key." },
        { Store, "a||b", "o", 10, StatusCode.InvalidArgument, "resource_id 'a||b' contains '||', which separates a key from its scope; choose another key." },
        { Store, "r", "", 10, StatusCode.InvalidArgument, "lock_owner is empty; name who holds the lock (for example a UUID per process)." },
        { Store, "r", "o", 0, StatusCode.InvalidArgument, "expire is 0; a lease lasts a whole number of seconds, at least 1." },
        { Store, "r", "o", -5, StatusCode.InvalidArgument, "expire is -5; a lease lasts a whole number of seconds, at least 1." },
    };

    [Theory]
    [MemberData(nameof(BadLocks))]
    public async Task TryLock_BadInput_ReturnsPreciseStatus(string storeName, string resourceId, string owner, int expire, StatusCode code, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Runtime.TryLockAsync(new TryLockRequest { StoreName = storeName, ResourceId = resourceId, LockOwner = owner, Expire = expire }));

        Assert.Equal(code, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
    }

    [Fact]
    public async Task LockKeepAlive_ZeroExpire_ReturnsInvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Runtime.LockKeepAliveAsync(new LockKeepAliveRequest { StoreName = Store, ResourceId = "r", LockOwner = "o", Expire = 0 }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    private async Task<bool> TryLockAsync(string resourceId, string owner, int expire) =>
        (await Runtime.TryLockAsync(new TryLockRequest { StoreName = Store, ResourceId = resourceId, LockOwner = owner, Expire = expire })).Success;

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
