using BusRuntime.Core.Errors;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace BusRuntime.Grpc.Errors;

/// <summary>The one place where runtime errors become gRPC statuses; their messages reach the caller as they are.</summary>
public sealed class RuntimeExceptionInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (RuntimeException exception)
        {
            throw ToRpcException(exception);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw Cancelled(context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
        }
        catch (RuntimeException exception)
        {
            throw ToRpcException(exception);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw Cancelled(context);
        }
    }

    public static RpcException ToRpcException(RuntimeException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new RpcException(new Status(ToStatusCode(exception.Code), exception.Message));
    }

    /// <summary>The call's own token ended it: its deadline passed, or the caller went away.</summary>
    private static RpcException Cancelled(ServerCallContext context) => context.Deadline <= DateTime.UtcNow
        ? new RpcException(new Status(StatusCode.DeadlineExceeded, $"the call's deadline passed before {context.Method} completed."))
        : new RpcException(new Status(StatusCode.Cancelled, "the caller cancelled the call."));

    public static StatusCode ToStatusCode(ErrorCode code) => code switch
    {
        ErrorCode.InvalidArgument => StatusCode.InvalidArgument,
        ErrorCode.NotFound => StatusCode.NotFound,
        ErrorCode.AlreadyExists => StatusCode.AlreadyExists,
        ErrorCode.FailedPrecondition => StatusCode.FailedPrecondition,
        ErrorCode.Aborted => StatusCode.Aborted,
        ErrorCode.Unavailable => StatusCode.Unavailable,
        ErrorCode.DeadlineExceeded => StatusCode.DeadlineExceeded,
        ErrorCode.PermissionDenied => StatusCode.PermissionDenied,
        _ => StatusCode.Unknown,
    };
}
