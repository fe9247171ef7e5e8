using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.Grpc.Errors;

/// <summary>
/// Binds a generated gRPC service with request marshallers that answer INVALID_ARGUMENT, naming the call,
/// for bytes that are not its request message. grpc-dotnet parses a request before any interceptor runs and
/// answers what the parser throws as UNKNOWN "Exception was thrown by handler", logged as an error with its
/// stack trace; an <see cref="RpcException"/> from the marshaller is answered with its status and logged at
/// Information, as the caller's mistake it is.
/// </summary>
public sealed class MalformedRequestBinder : ServiceBinderBase
{
    private readonly ServerServiceDefinition.Builder builder = ServerServiceDefinition.CreateBuilder();

    /// <summary>The service that <paramref name="bindService"/> (a generated <c>BindService(ServiceBinderBase, …)</c>) binds, with guarded request marshallers.</summary>
    public static ServerServiceDefinition Bind(Action<ServiceBinderBase> bindService)
    {
        ArgumentNullException.ThrowIfNull(bindService);
        var binder = new MalformedRequestBinder();
        bindService(binder);
        return binder.builder.Build();
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
        builder.AddMethod(Guarded(method), handler ?? throw new ArgumentNullException(nameof(handler)));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
        builder.AddMethod(Guarded(method), handler ?? throw new ArgumentNullException(nameof(handler)));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
        builder.AddMethod(Guarded(method), handler ?? throw new ArgumentNullException(nameof(handler)));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
        builder.AddMethod(Guarded(method), handler ?? throw new ArgumentNullException(nameof(handler)));

    private static Method<TRequest, TResponse> Guarded<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(method);
        var deserialize = method.RequestMarshaller.ContextualDeserializer;
        var request = new Marshaller<TRequest>(method.RequestMarshaller.ContextualSerializer, context =>
        {
            try
            {
                return deserialize(context);
            }
            catch (InvalidProtocolBufferException exception)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"a request message of {method.FullName} is not valid protobuf: {exception.Message}"));
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, request, method.ResponseMarshaller);
    }
}
