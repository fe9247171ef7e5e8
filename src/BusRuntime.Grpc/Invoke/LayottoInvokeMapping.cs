using BusRuntime.Core.Invoke;
using BusRuntime.Protos.Layotto.Runtime.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using GrpcMetadata = Grpc.Core.Metadata;
using HttpVerb = BusRuntime.Protos.Layotto.Runtime.V1.HTTPExtension.Types.Verb;

namespace BusRuntime.Grpc.Invoke;

/// <summary>
/// Maps Layotto's InvokeService (<c>{id, message: {method, data Any, content_type, http_extension}}</c>) to the invoke
/// primitive and its answer back (<c>data</c> as Any, its type URL as the target sent it).
/// </summary>
public static class LayottoInvokeMapping
{
    /// <summary>As over Dapr's API, the caller's own gRPC headers travel to the target as the call's metadata.</summary>
    public static InvokeCall ToCall(string appId, CommonInvokeRequest message, GrpcMetadata headers)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(headers);
        var extension = message.HttpExtension;
        var verb = extension is null || extension.Verb == HttpVerb.None ? "" : extension.Verb.ToString().ToUpperInvariant();
        return new InvokeCall(
            appId,
            message.Method,
            message.Data?.Value.Memory ?? ReadOnlyMemory<byte>.Empty,
            message.ContentType,
            verb,
            extension?.Querystring ?? "",
            InvokeHeaders.FromCaller(headers.Where(header => !header.IsBinary).Select(header => KeyValuePair.Create(header.Key, header.Value))),
            message.Data?.TypeUrl ?? "");
    }

    public static InvokeResponse ToResponse(Contracts.InvokeResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new InvokeResponse
        {
            Data = new Any { TypeUrl = response.DataTypeUrl, Value = ByteString.CopyFrom(response.Data) },
            ContentType = response.ContentType,
        };
    }
}
