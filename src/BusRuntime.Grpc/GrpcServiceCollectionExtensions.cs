using BusRuntime.Grpc.AppConfiguration;
using BusRuntime.Grpc.Dapr;
using BusRuntime.Grpc.Errors;
using BusRuntime.Grpc.Invoke;
using BusRuntime.Grpc.Locks;
using BusRuntime.Grpc.Metadata;
using BusRuntime.Grpc.Operations;
using BusRuntime.Grpc.PubSub;
using BusRuntime.Grpc.Runtime;
using BusRuntime.Grpc.Secrets;
using BusRuntime.Grpc.Security;
using BusRuntime.Grpc.Sequences;
using BusRuntime.Grpc.State;
using BusRuntime.Grpc.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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

        // The Dapr SDKs ask reflection which rpcs exist to choose between Alpha1 and stable names.
        services.AddGrpcReflection();
        services.TryAddSingleton<ConfigurationStreams>();

        // Each primitive's façade, shared by every gRPC API (the services only pick the rpc).
        services.TryAddSingleton<PubSubRpcs>();
        services.TryAddSingleton<InvokeRpcs>();
        services.TryAddSingleton<StateRpcs>();
        services.TryAddSingleton<LockRpcs>();
        services.TryAddSingleton<SequenceRpcs>();
        services.TryAddSingleton<ConfigurationRpcs>();
        services.TryAddSingleton<SecretRpcs>();
        services.TryAddSingleton<MetadataRpcs>();
        services.TryAddSingleton<WorkflowRpcs>();
        return services;
    }

    public static IEndpointRouteBuilder MapBusRuntimeGrpc(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<RuntimeService>();
        endpoints.MapGrpcService<OperationsService>();
        endpoints.MapGrpcService<DaprService>();
        endpoints.MapGrpcReflectionService();
        return endpoints;
    }
}
