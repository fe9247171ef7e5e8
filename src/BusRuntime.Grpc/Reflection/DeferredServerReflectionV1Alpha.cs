using Grpc.Core;
using Grpc.Reflection;
using Grpc.Reflection.V1Alpha;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Grpc.Reflection;

/// <summary>
/// grpc.reflection.v1alpha, answered by the container's <see cref="ReflectionServiceImpl"/>, which is created at the
/// first call: it builds the descriptors of every proto the sidecar serves, about a tenth of the CPU of a start-up
/// (docs/benchmarks.md), and only a client that asks reflection needs them.
/// </summary>
internal sealed class DeferredServerReflectionV1Alpha(IServiceProvider services) : ServerReflection.ServerReflectionBase
{
    public override Task ServerReflectionInfo(
        IAsyncStreamReader<ServerReflectionRequest> requestStream,
        IServerStreamWriter<ServerReflectionResponse> responseStream,
        ServerCallContext context) =>
        services.GetRequiredService<ReflectionServiceImpl>().ServerReflectionInfo(requestStream, responseStream, context);
}
