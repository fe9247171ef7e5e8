using BusRuntime.Core.Invoke;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using DaprInvokeRequest = BusRuntime.Protos.Dapr.Common.V1.InvokeRequest;
using DaprInvokeResponse = BusRuntime.Protos.Dapr.Common.V1.InvokeResponse;
using GrpcMetadata = Grpc.Core.Metadata;
using HttpVerb = BusRuntime.Protos.Dapr.Common.V1.HTTPExtension.Types.Verb;

namespace BusRuntime.Grpc.Invoke;

/// <summary>Maps Dapr's InvokeService to the invoke primitive and its answer back.</summary>
public static class DaprInvokeMapping
{
    /// <summary>As Dapr does, the caller's own gRPC headers travel to the target as the call's metadata.</summary>
    public static InvokeCall ToCall(string appId, DaprInvokeRequest message, GrpcMetadata headers)
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

    public static DaprInvokeResponse ToResponse(Contracts.InvokeResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new DaprInvokeResponse
        {
            Data = new Any { TypeUrl = response.DataTypeUrl, Value = ByteString.CopyFrom(response.Data) },
            ContentType = response.ContentType,
        };
    }
}
