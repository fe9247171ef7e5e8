using BusRuntime.Contracts;

namespace BusRuntime.Core.Invoke;

/// <summary>Answers the invoke requests for this sidecar's app: in the sidecar, by calling the app's OnInvoke.</summary>
public interface IInvokeHandler
{
    /// <summary>
    /// Answers one request, before <see cref="InvokeRequest.ExpiresAt"/>. A failure of the app is an
    /// answer with its status, not an exception.
    /// </summary>
    Task<InvokeResponse> HandleAsync(InvokeRequest request, CancellationToken cancellationToken);
}
