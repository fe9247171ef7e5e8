using BusRuntime.Core.Bindings;

namespace BusRuntime.Bindings;

/// <summary>The output side of a binding type that only reads (bindings.cron): it takes no operations.</summary>
public sealed class InputOnlyBinding : IOutputBinding
{
    public IReadOnlyList<string> Operations { get; } = [];

    public Task<BindingResponse> InvokeAsync(BindingRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("an input binding takes no operations.");
}
