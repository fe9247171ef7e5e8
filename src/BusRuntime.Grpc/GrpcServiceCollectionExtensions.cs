using BusRuntime.Grpc.Errors;
using BusRuntime.Grpc.Operations;
using BusRuntime.Grpc.Runtime;
using BusRuntime.Grpc.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Grpc;

public static class GrpcServiceCollectionExtensions
{
    /// <summary>Adds gRPC with the API token check and the error mapping every BusRuntime service shares.</summary>
    public static IServiceCollection AddBusRuntimeGrpc(this IServiceCollection services, int maxMessageBytes)
    {
        services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<ApiTokenInterceptor>();
            grpc.Interceptors.Add<RuntimeExceptionInterceptor>();
            // Room for a payload of the configured maximum plus its envelope, so an oversized payload
            // reaches the runtime's own check and gets a message that names the limit.
            grpc.MaxReceiveMessageSize = maxMessageBytes + (64 * 1024);
        });
        return services;
    }

    public static IEndpointRouteBuilder MapBusRuntimeGrpc(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<RuntimeService>();
        endpoints.MapGrpcService<OperationsService>();
        return endpoints;
    }
}
