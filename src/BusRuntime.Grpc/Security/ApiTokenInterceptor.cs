using BusRuntime.Core.Security;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace BusRuntime.Grpc.Security;

/// <summary>
/// Rejects every gRPC call without the configured API token as UNAUTHENTICATED before it reaches a service.
/// Server reflection stays open: it tells a client the API's shape (the Dapr .NET SDK asks it which rpc
/// names exist), nothing about the app's data.
/// </summary>
public sealed class ApiTokenInterceptor(ApiTokenGuard guard) : Interceptor
{
    private const string ReflectionServicePrefix = "/grpc.reflection.";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authenticate(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authenticate(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authenticate(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authenticate(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authenticate(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!guard.IsRequired || context.Method.StartsWith(ReflectionServicePrefix, StringComparison.Ordinal))
        {
            return;
        }

        if (!guard.Allows(context.RequestHeaders.GetValue(ApiTokenGuard.HeaderName)))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, ApiTokenGuard.RejectionMessage));
        }
    }
}
