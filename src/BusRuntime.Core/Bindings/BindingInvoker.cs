using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Stores;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Bindings;

/// <summary>
/// The output bindings primitive (InvokeBinding): finds the binding by name, checks the operation is one it takes
/// and the data and metadata are within bounds, and calls it. An unknown binding is ComponentNotFound, an unknown
/// operation INVALID_ARGUMENT naming the operations the binding takes.
/// </summary>
public sealed class BindingInvoker(NamedStores<IOutputBinding> bindings, StoreMetrics metrics, IOptions<RuntimeOptions> options)
{
    public Task<BindingResponse> InvokeAsync(
        string name, string operation, ReadOnlyMemory<byte> data, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var binding = bindings.Get(name);
        var operations = binding.Store.Operations;
        if (operations.Count == 0)
        {
            throw RuntimeException.InvalidArgument($"binding '{binding.Name}' is an input binding ({binding.Component.Type}); it takes no operations.");
        }

        if (!operations.Contains(operation, StringComparer.Ordinal))
        {
            throw RuntimeException.InvalidArgument(
                operation.Length == 0
                    ? $"operation is empty; binding '{binding.Name}' takes: {string.Join(", ", operations)}."
                    : $"operation {Quoted.Of(operation)} is not one binding '{binding.Name}' takes; it takes: {string.Join(", ", operations)}.");
        }

        var limit = options.Value.MaxPayloadBytes;
        if (data.Length > limit)
        {
            throw RuntimeException.InvalidArgument($"data is {data.Length} bytes, over the maximum of {limit} bytes (BusRuntime:MaxPayloadBytes).");
        }

        RequestMetadata.EnsureValid(metadata, "metadata");
        var request = new BindingRequest(operation, data, metadata);
        return metrics.MeasureAsync(binding.Name, operation, () => binding.Store.InvokeAsync(request, cancellationToken));
    }
}
