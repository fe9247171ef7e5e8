using BusRuntime.Core.Locks;
using BusRuntime.Protos.Dapr.Runtime.V1;

namespace BusRuntime.Grpc.Locks;

/// <summary>Maps the lock primitive's answers to Dapr's status enum.</summary>
public static class DaprLockMapping
{
    public static UnlockResponse.Types.Status ToUnlockStatus(LockStatus status) => status switch
    {
        LockStatus.Success => UnlockResponse.Types.Status.Success,
        LockStatus.LockDoesNotExist => UnlockResponse.Types.Status.LockDoesNotExist,
        LockStatus.LockBelongsToOthers => UnlockResponse.Types.Status.LockBelongsToOthers,
        _ => UnlockResponse.Types.Status.InternalError,
    };
}
