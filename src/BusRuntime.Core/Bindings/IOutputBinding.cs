namespace BusRuntime.Core.Bindings;

/// <summary>
/// An output binding component: sends what an app gives it to a system outside the sidecar (an HTTP endpoint, a
/// queue of the broker) and answers with what that system returned. API-neutral: Layotto's and Dapr's
/// InvokeBinding map to it alike.
/// </summary>
public interface IOutputBinding
{
    /// <summary>The operations the binding takes, as apps name them ("get", "post", "create").</summary>
    IReadOnlyList<string> Operations { get; }

    /// <summary>Performs <see cref="BindingRequest.Operation"/>, one of <see cref="Operations"/>; failures are <see cref="Errors.RuntimeException"/>s.</summary>
    Task<BindingResponse> InvokeAsync(BindingRequest request, CancellationToken cancellationToken);
}
