using BusRuntime.Grpc.AppConfiguration;
using BusRuntime.Grpc.Bindings;
using BusRuntime.Grpc.Dapr;
using BusRuntime.Grpc.Errors;
using BusRuntime.Grpc.Files;
using BusRuntime.Grpc.Hello;
using BusRuntime.Grpc.Invoke;
using BusRuntime.Grpc.Jobs;
using BusRuntime.Grpc.Layotto;
using BusRuntime.Grpc.Locks;
using BusRuntime.Grpc.Metadata;
using BusRuntime.Grpc.Operations;
using BusRuntime.Grpc.PubSub;
using BusRuntime.Grpc.Reflection;
using BusRuntime.Grpc.Requests;
using BusRuntime.Grpc.Runtime;
using BusRuntime.Grpc.Secrets;
using BusRuntime.Grpc.Security;
using BusRuntime.Grpc.Sequences;
using BusRuntime.Grpc.State;
using BusRuntime.Grpc.Workflows;
using System.IO.Compression;
using Grpc.Net.Compression;
using Grpc.Reflection;
using ProtoServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using ReflectionV1 = Grpc.Reflection.V1.ServerReflection;
using ReflectionV1Alpha = Grpc.Reflection.V1Alpha.ServerReflection;
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
            grpc.CompressionProviders =
            [
                new BoundedDecompression(new GzipCompressionProvider(CompressionLevel.Fastest), grpc.MaxReceiveMessageSize.Value),
                new BoundedDecompression(new DeflateCompressionProvider(CompressionLevel.Fastest), grpc.MaxReceiveMessageSize.Value),
            ];
        });

        // The Dapr SDKs ask reflection which rpcs exist to choose between Alpha1 and stable names. It describes
        // the services mapped below; grpc-dotnet's AddGrpcReflection would look for them by their CLR types, which
        // services bound from definitions do not have. Created at the first reflection call (DeferredServerReflection*).
        services.TryAddSingleton(_ => new ReflectionServiceImpl(ReflectedServices));
        services.TryAddSingleton(_ => new ReflectionV1ServiceImpl(ReflectedServices));
        services.TryAddSingleton<ConfigurationStreams>();
        services.TryAddSingleton<RuntimeService>();
        services.TryAddSingleton<OperationsService>();
        services.TryAddSingleton<DaprService>();
        services.TryAddSingleton<LayottoService>();

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
        services.TryAddSingleton<FileRpcs>();
        services.TryAddSingleton<BindingRpcs>();
        services.TryAddSingleton<HelloRpcs>();
        services.TryAddSingleton<JobRpcs>();
        return services;
    }

    /// <summary>
    /// Maps every gRPC service of the sidecar, each bound by <see cref="MalformedRequestBinder"/> so that a request
    /// that is not protobuf is INVALID_ARGUMENT, like any other bad request.
    /// </summary>
    public static IEndpointRouteBuilder MapBusRuntimeGrpc(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        endpoints.MapGrpcService(MalformedRequestBinder.Bind(binder => Protos.V1.Runtime.BindService(binder, services.GetRequiredService<RuntimeService>())));
        endpoints.MapGrpcService(MalformedRequestBinder.Bind(binder => Protos.V1.Operations.BindService(binder, services.GetRequiredService<OperationsService>())));
        endpoints.MapGrpcService(MalformedRequestBinder.Bind(binder => Protos.Dapr.Runtime.V1.Dapr.BindService(binder, services.GetRequiredService<DaprService>())));
        endpoints.MapGrpcService(MalformedRequestBinder.Bind(binder => Protos.Layotto.Runtime.V1.Runtime.BindService(binder, services.GetRequiredService<LayottoService>())));
        endpoints.MapGrpcService(MalformedRequestBinder.Bind(binder => ReflectionV1Alpha.BindService(binder, new DeferredServerReflectionV1Alpha(services))));
        endpoints.MapGrpcService(MalformedRequestBinder.Bind(binder => ReflectionV1.BindService(binder, new DeferredServerReflectionV1(services))));
        return endpoints;
    }

    private static ProtoServiceDescriptor[] ReflectedServices =>
    [
        Protos.V1.Runtime.Descriptor,
        Protos.V1.Operations.Descriptor,
        Protos.Dapr.Runtime.V1.Dapr.Descriptor,
        Protos.Layotto.Runtime.V1.Runtime.Descriptor,
        ReflectionV1Alpha.Descriptor,
        ReflectionV1.Descriptor,
    ];
}
