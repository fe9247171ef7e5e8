using BusRuntime.Core.Locks;
using BusRuntime.Protos.Layotto.Runtime.V1;

namespace BusRuntime.Grpc.Locks;

/// <summary>Maps the lock primitive's answers to Layotto's status enums (LOCK_UNEXIST, LOCK_BELONG_TO_OTHERS: the numbers of ours).</summary>
public static class LayottoLockMapping
{
    public static UnlockResponse.Types.Status ToUnlockStatus(LockStatus status) => status switch
    {
        LockStatus.Success => UnlockResponse.Types.Status.Success,
        LockStatus.LockDoesNotExist => UnlockResponse.Types.Status.LockUnexist,
        LockStatus.LockBelongsToOthers => UnlockResponse.Types.Status.LockBelongToOthers,
        _ => UnlockResponse.Types.Status.InternalError,
    };

    public static LockKeepAliveResponse.Types.Status ToKeepAliveStatus(LockStatus status) => status switch
    {
        LockStatus.Success => LockKeepAliveResponse.Types.Status.Success,
        LockStatus.LockDoesNotExist => LockKeepAliveResponse.Types.Status.LockUnexist,
        LockStatus.LockBelongsToOthers => LockKeepAliveResponse.Types.Status.LockBelongToOthers,
        _ => LockKeepAliveResponse.Types.Status.InternalError,
    };
}
