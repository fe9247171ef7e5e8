using BusRuntime.Core.Bindings;
using Google.Protobuf;
using Grpc.Core;
using GrpcMetadata = Grpc.Core.Metadata;
using DaprV1 = BusRuntime.Protos.Dapr.Runtime.V1;
using LayottoV1 = BusRuntime.Protos.Layotto.Runtime.V1;

namespace BusRuntime.Grpc.Bindings;

/// <summary>Output bindings on every gRPC API that has them (Dapr's, Layotto's): each call mapped onto <see cref="BindingInvoker"/>.</summary>
public sealed class BindingRpcs(BindingInvoker bindings)
{
    private const string MetadataHeaderPrefix = "metadata.";

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

    /// <summary>
    /// Dapr's InvokeBinding: as daprd, the binding's metadata comes back both in the response and as <c>metadata.*</c> response
    /// headers (those a header can carry). Unlike daprd, the call's own gRPC headers are not added to the binding's metadata:
    /// they would carry the API token to whatever the binding calls.
    /// </summary>
    public async Task<DaprV1.InvokeBindingResponse> InvokeBinding(DaprV1.InvokeBindingRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var answer = await bindings.InvokeAsync(
            request.Name, request.Operation, request.Data.Memory, new Dictionary<string, string>(request.Metadata, StringComparer.Ordinal), context.CancellationToken).ConfigureAwait(false);
        var headers = new GrpcMetadata();
        foreach (var (key, value) in answer.Metadata)
        {
            var header = (MetadataHeaderPrefix + key).ToLowerInvariant();
            if (IsHeader(header, value))
            {
                headers.Add(header, value);
            }
        }

        if (headers.Count > 0)
        {
            await context.WriteResponseHeadersAsync(headers).ConfigureAwait(false);
        }

        var response = new DaprV1.InvokeBindingResponse { Data = ByteString.CopyFrom(answer.Data.Span) };
        response.Metadata.AddAll(answer.Metadata);
        return response;
    }

    private static bool IsHeader(string name, string value) =>
        !name.EndsWith(GrpcMetadata.BinaryHeaderSuffix, StringComparison.Ordinal)
        && name.All(character => character is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.')
        && value.All(character => character is >= ' ' and <= '~');
}
