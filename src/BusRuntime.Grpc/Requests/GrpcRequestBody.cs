using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace BusRuntime.Grpc.Requests;

/// <summary>The request body a gRPC call reads, through <see cref="GrpcFrameCheckingReader"/>.</summary>
internal sealed class GrpcRequestBody(PipeReader reader) : IRequestBodyPipeFeature
{
    public PipeReader Reader { get; } = reader;
}
