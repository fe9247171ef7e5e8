using BusRuntime.Core.Errors;
using BusRuntime.Core.Locks;
using Grpc.Core;
using DaprV1 = BusRuntime.Protos.Dapr.Runtime.V1;
using V1 = BusRuntime.Protos.V1;

namespace BusRuntime.Grpc.Locks;

/// <summary>Distributed locks on every gRPC API: each call mapped onto <see cref="LockManager"/>.</summary>
public sealed class LockRpcs(LockManager locks)
{
    public async Task<V1.TryLockResponse> TryLock(V1.TryLockRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var taken = await locks.TryLockAsync(request.StoreName, request.ResourceId, request.LockOwner, request.Expire, context.CancellationToken).ConfigureAwait(false);
        return new V1.TryLockResponse { Success = taken };
    }

    public async Task<DaprV1.TryLockResponse> TryLock(DaprV1.TryLockRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (request.ExpiryInSeconds <= 0)
        {
            throw RuntimeException.InvalidArgument($"expiry_in_seconds is {request.ExpiryInSeconds}; a lease lasts a whole number of seconds, at least 1.");
        }

        var taken = await locks.TryLockAsync(request.StoreName, request.ResourceId, request.LockOwner, request.ExpiryInSeconds, context.CancellationToken).ConfigureAwait(false);
        return new DaprV1.TryLockResponse { Success = taken };
    }

    public async Task<V1.UnlockResponse> Unlock(V1.UnlockRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var status = await locks.UnlockAsync(request.StoreName, request.ResourceId, request.LockOwner, context.CancellationToken).ConfigureAwait(false);
        return new V1.UnlockResponse { Status = LockMapping.ToUnlockStatus(status) };
    }

    public async Task<DaprV1.UnlockResponse> Unlock(DaprV1.UnlockRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var status = await locks.UnlockAsync(request.StoreName, request.ResourceId, request.LockOwner, context.CancellationToken).ConfigureAwait(false);
        return new DaprV1.UnlockResponse { Status = DaprLockMapping.ToUnlockStatus(status) };
    }

    public async Task<V1.LockKeepAliveResponse> LockKeepAlive(V1.LockKeepAliveRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var status = await locks.KeepAliveAsync(request.StoreName, request.ResourceId, request.LockOwner, request.Expire, context.CancellationToken).ConfigureAwait(false);
        return new V1.LockKeepAliveResponse { ResourceId = request.ResourceId, Status = LockMapping.ToKeepAliveStatus(status) };
    }
}
