using Grpc.Core;
using Grpc.Reflection;
using Grpc.Reflection.V1;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Grpc.Reflection;

/// <summary>grpc.reflection.v1, answered as <see cref="DeferredServerReflectionV1Alpha"/> answers v1alpha, by the container's <see cref="ReflectionV1ServiceImpl"/>.</summary>
internal sealed class DeferredServerReflectionV1(IServiceProvider services) : ServerReflection.ServerReflectionBase
{
    public override Task ServerReflectionInfo(
        IAsyncStreamReader<ServerReflectionRequest> requestStream,
        IServerStreamWriter<ServerReflectionResponse> responseStream,
        ServerCallContext context) =>
        services.GetRequiredService<ReflectionV1ServiceImpl>().ServerReflectionInfo(requestStream, responseStream, context);
}
