using BusRuntime.Contracts;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Health;
using BusRuntime.Core.Invoke;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace BusRuntime.AppCallback;

/// <summary>
/// Answers invoke requests by calling the app's OnInvoke with the request's expiry as the deadline. What
/// the app answers goes back as it is: its data, headers and trailers, or its own status and message.
/// </summary>
public sealed class AppInvokeHandler(AppChannel app, IOptions<AppChannelOptions> options, AppHealth health) : IInvokeHandler
{
    public async Task<InvokeResponse> HandleAsync(InvokeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!health.IsHealthy)
        {
            // As daprd: an app its health checks found unhealthy is not called, and the sidecar refuses the call itself.
            return new InvokeResponse { StatusCode = InvokeStatus.Unavailable, StatusMessage = $"app '{request.AppId}' is unhealthy: {health.Reason}.", RefusedBySidecar = true };
        }

        using var call = app.Client.OnInvokeAsync(
            InvokeMapping.ToAppRequest(request),
            InvokeMapping.ToHeaders(request),
            request.ExpiresAt.UtcDateTime,
            cancellationToken);
        try
        {
            var answer = await call.ResponseAsync.ConfigureAwait(false);
            var headers = await call.ResponseHeadersAsync.ConfigureAwait(false);
            return InvokeMapping.ToResponse(answer, headers, call.GetTrailers());
        }
        catch (RpcException failure) when (!cancellationToken.IsCancellationRequested)
        {
            // A status the app sent has no local cause; one with a local cause (refused connection, reset
            // stream) is this sidecar failing to reach the app, and says so.
            var message = failure.Status.DebugException is null
                ? failure.Status.Detail
                : $"app '{request.AppId}' does not answer on {options.Value.AppAddress}: {failure.Status.Detail}";
            // One it could not reach is answered by the sidecar, as daprd answers it (ERR_DIRECT_INVOKE over HTTP).
            return InvokeMapping.ToFailure(failure, message) with
            {
                RefusedBySidecar = failure.Status.DebugException is not null && failure.StatusCode == StatusCode.Unavailable,
            };
        }
    }
}
