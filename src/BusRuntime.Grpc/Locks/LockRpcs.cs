using BusRuntime.Core.Errors;
using BusRuntime.Core.Locks;
using Grpc.Core;
using DaprV1 = BusRuntime.Protos.Dapr.Runtime.V1;
using LayottoV1 = BusRuntime.Protos.Layotto.Runtime.V1;
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

    /// <summary>Layotto's TryLock: as Layotto, an expire that is not positive is INVALID_ARGUMENT.</summary>
    public async Task<LayottoV1.TryLockResponse> TryLock(LayottoV1.TryLockRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (request.Expire <= 0)
        {
            throw RuntimeException.InvalidArgument($"expire is {request.Expire}; a lease lasts a whole number of seconds, at least 1.");
        }

        var taken = await locks.TryLockAsync(request.StoreName, request.ResourceId, request.LockOwner, request.Expire, context.CancellationToken).ConfigureAwait(false);
        return new LayottoV1.TryLockResponse { Success = taken };
    }

    public async Task<LayottoV1.UnlockResponse> Unlock(LayottoV1.UnlockRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var status = await locks.UnlockAsync(request.StoreName, request.ResourceId, request.LockOwner, context.CancellationToken).ConfigureAwait(false);
        return new LayottoV1.UnlockResponse { Status = LayottoLockMapping.ToUnlockStatus(status) };
    }

    /// <summary>Layotto's LockKeepAlive, which renews the lease for <c>expire</c> seconds from now (Layotto's own answers nothing).</summary>
    public async Task<LayottoV1.LockKeepAliveResponse> LockKeepAlive(LayottoV1.LockKeepAliveRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var status = await locks.KeepAliveAsync(request.StoreName, request.ResourceId, request.LockOwner, request.Expire, context.CancellationToken).ConfigureAwait(false);
        return new LayottoV1.LockKeepAliveResponse { Status = LayottoLockMapping.ToKeepAliveStatus(status) };
    }
}
