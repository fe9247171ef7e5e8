using BusRuntime.Core.Invoke;
using BusRuntime.Protos.V1;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.Grpc.Runtime;

/// <summary>Maps busruntime.v1 InvokeService to the invoke primitive and its answer back.</summary>
public static class InvokeServiceMapping
{
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

    public static Metadata ToMetadata(IReadOnlyDictionary<string, string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var metadata = new Metadata();
        foreach (var (key, value) in entries)
        {
            metadata.Add(key, value);
        }

        return metadata;
    }

    public static Protos.V1.InvokeResponse ToResponse(Contracts.InvokeResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new Protos.V1.InvokeResponse { Data = ByteString.CopyFrom(response.Data), ContentType = response.ContentType };
    }
}
