using BusRuntime.Core.Bindings;
using Google.Protobuf;
using Grpc.Core;
using LayottoV1 = BusRuntime.Protos.Layotto.Runtime.V1;

namespace BusRuntime.Grpc.Bindings;

/// <summary>Output bindings on every gRPC API that has them (Layotto's): each call mapped onto <see cref="BindingInvoker"/>.</summary>
public sealed class BindingRpcs(BindingInvoker bindings)
{
    public async Task<LayottoV1.InvokeBindingResponse> InvokeBinding(LayottoV1.InvokeBindingRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var answer = await bindings.InvokeAsync(
            request.Name, request.Operation, request.Data.Memory, new Dictionary<string, string>(request.Metadata, StringComparer.Ordinal), context.CancellationToken).ConfigureAwait(false);
        var response = new LayottoV1.InvokeBindingResponse { Data = ByteString.CopyFrom(answer.Data.Span) };
        response.Metadata.AddAll(answer.Metadata);
        return response;
    }
}
