using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace BusRuntime.Grpc.Requests;

public static class GrpcRequestChecks
{
    /// <summary>
    /// Checks the message prefixes of every gRPC call's request body (<see cref="GrpcFrameCheckingReader"/>), so a
    /// malformed one is INVALID_ARGUMENT; call it after UseRouting.
    /// </summary>
    public static IApplicationBuilder UseBusRuntimeGrpcRequestChecks(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use((context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is { } grpc)
            {
                context.Features.Set<IRequestBodyPipeFeature>(new GrpcRequestBody(new GrpcFrameCheckingReader(context.Request.BodyReader, grpc.Method.FullName)));
            }

            return next(context);
        });
    }
}
