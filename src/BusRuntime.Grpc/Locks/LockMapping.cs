using BusRuntime.Core.Locks;
using BusRuntime.Protos.V1;

namespace BusRuntime.Grpc.Locks;

/// <summary>Maps the lock primitive's answers to busruntime.v1's status enums.</summary>
public static class LockMapping
{
    public static UnlockResponse.Types.Status ToUnlockStatus(LockStatus status) => status switch
    {
        LockStatus.Success => UnlockResponse.Types.Status.Success,
        LockStatus.LockDoesNotExist => UnlockResponse.Types.Status.LockDoesNotExist,
        LockStatus.LockBelongsToOthers => UnlockResponse.Types.Status.LockBelongsToOthers,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static LockKeepAliveResponse.Types.Status ToKeepAliveStatus(LockStatus status) => status switch
    {
        LockStatus.Success => LockKeepAliveResponse.Types.Status.Success,
        LockStatus.LockDoesNotExist => LockKeepAliveResponse.Types.Status.LockDoesNotExist,
        LockStatus.LockBelongsToOthers => LockKeepAliveResponse.Types.Status.LockBelongsToOthers,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
