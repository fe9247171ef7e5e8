using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Dapr;
using Dapr.Client;
using Grpc.Core;

#pragma warning disable DAPR_DISTRIBUTEDLOCK // The SDK marks its lock API experimental; apps use it all the same.

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>The Dapr .NET SDK's Lock and Unlock (TryLockAlpha1, UnlockAlpha1) on the default lock store.</summary>
public sealed class LockTests
{
    private const string Store = "lockstore";

    [Fact]
    public async Task LockUnlock_TwoOwners_OnlyTheHolderLocksAndUnlocks()
    {
        await using var sidecar = await TestSidecar.StartAsync("sdk-locks");
        using var dapr = SdkClients.For(sidecar);
        var resource = $"order-{Guid.NewGuid():N}";

        var first = await dapr.Lock(Store, resource, "owner-a", 60);
        var second = await dapr.Lock(Store, resource, "owner-b", 60);
        var byOther = await dapr.Unlock(Store, resource, "owner-b");
        var byHolder = await dapr.Unlock(Store, resource, "owner-a");
        var again = await dapr.Unlock(Store, resource, "owner-a");
        var afterRelease = await dapr.Lock(Store, resource, "owner-b", 60);

        Assert.True(first.Success);
        Assert.False(second.Success);
        Assert.Equal(LockStatus.LockBelongsToOthers, byOther.status);
        Assert.Equal(LockStatus.Success, byHolder.status);
        Assert.Equal(LockStatus.LockDoesNotExist, again.status);
        Assert.True(afterRelease.Success);
    }

    [Fact]
    public async Task Lock_UnknownStore_DaprExceptionNamingIt()
    {
        await using var sidecar = await TestSidecar.StartAsync("sdk-locks");
        using var dapr = SdkClients.For(sidecar);

        var error = await Assert.ThrowsAsync<DaprException>(() => dapr.Lock("redis-lock", "r", "owner", 10));

        var rpc = Assert.IsType<RpcException>(error.InnerException);
        Assert.Equal(StatusCode.InvalidArgument, rpc.StatusCode);
        Assert.Contains("redis-lock", rpc.Status.Detail, StringComparison.Ordinal);
    }
}
