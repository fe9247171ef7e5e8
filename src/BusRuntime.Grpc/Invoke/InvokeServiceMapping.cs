using BusRuntime.Core.Invoke;
using BusRuntime.Protos.V1;
using Google.Protobuf;
using Grpc.Core;
using GrpcMetadata = Grpc.Core.Metadata;

namespace BusRuntime.Grpc.Invoke;

/// <summary>
/// Maps busruntime.v1 InvokeService to the invoke primitive and its answer back, and what every API's invocation
/// (and the error interceptor) shares: the call's deadline, the answer's headers and its status.
/// </summary>
public static class InvokeServiceMapping
{
    /// <summary>The header that carries an HTTP app's status to a gRPC caller, as daprd names it.</summary>
    public const string HttpStatusHeader = "dapr-http-status";

    public static InvokeCall ToCall(InvokeServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new InvokeCall(request.AppId, request.Method, request.Data.Memory, request.ContentType, request.HttpVerb, request.QueryString, request.Metadata);
    }

    /// <summary>The caller's deadline, or null when it set none (gRPC's DateTime.MaxValue).</summary>
    public static DateTimeOffset? Deadline(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Deadline == DateTime.MaxValue ? null : new DateTimeOffset(DateTime.SpecifyKind(context.Deadline, DateTimeKind.Utc));
    }

    /// <summary>
    /// The headers or trailers of an answer as gRPC metadata. A .NET service answering on the bus may send
    /// names or values gRPC cannot carry (or names the transport owns): those are left out rather than
    /// failing an answer the app gave.
    /// </summary>
    public static GrpcMetadata ToMetadata(IEnumerable<KeyValuePair<string, string>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var metadata = new GrpcMetadata();
        foreach (var (key, value) in entries)
        {
            if (InvokeHeaders.Problem(key, value) is null)
            {
                metadata.Add(key, value);
            }
        }

        return metadata;
    }

    /// <summary>The app's status as a gRPC code; a number outside gRPC's codes is UNKNOWN.</summary>
    public static StatusCode ToStatusCode(int code) =>
        Enum.IsDefined((StatusCode)code) ? (StatusCode)code : StatusCode.Unknown;

    public static Protos.V1.InvokeResponse ToResponse(Contracts.InvokeResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new Protos.V1.InvokeResponse { Data = ByteString.CopyFrom(response.Data), ContentType = response.ContentType };
    }
}
