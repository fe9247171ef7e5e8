using BusRuntime.Core.Errors;
using BusRuntime.Core.Invoke;
using BusRuntime.Grpc.Runtime;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace BusRuntime.Grpc.Errors;

/// <summary>
/// The one place where runtime errors become gRPC statuses; their messages reach the caller as they are.
/// An invoked app's own status passes through unchanged, with its headers and trailers as trailers.
/// Anything else that escapes a call is a bug: it is logged in full and the caller gets INTERNAL naming
/// the call, never the exception's details.
/// </summary>
public sealed class RuntimeExceptionInterceptor(TimeProvider timeProvider, ILogger<RuntimeExceptionInterceptor> logger) : Interceptor
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
        catch (InvokeStatusException exception)
        {
            throw ToRpcException(exception);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw Cancelled(context);
        }
        catch (Exception exception) when (exception is not RpcException)
        {
            throw Unexpected(context, exception);
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
        catch (Exception exception) when (exception is not RpcException)
        {
            throw Unexpected(context, exception);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (RuntimeException exception)
        {
            throw ToRpcException(exception);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw Cancelled(context);
        }
        catch (Exception exception) when (exception is not RpcException)
        {
            throw Unexpected(context, exception);
        }
    }

    public static RpcException ToRpcException(RuntimeException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new RpcException(new Status(ToStatusCode(exception.Code), exception.Message));
    }

    public static RpcException ToRpcException(InvokeStatusException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var response = exception.Response;
        var trailers = InvokeServiceMapping.ToMetadata(response.Headers.Concat(response.Trailers));
        return new RpcException(new Status(InvokeServiceMapping.ToStatusCode(response.StatusCode), response.StatusMessage), trailers);
    }

    /// <summary>The call's own token ended it: its deadline passed, or the caller went away.</summary>
    private RpcException Cancelled(ServerCallContext context) => context.Deadline <= timeProvider.GetUtcNow().UtcDateTime
        ? new RpcException(new Status(StatusCode.DeadlineExceeded, $"the call's deadline passed before {context.Method} completed."))
        : new RpcException(new Status(StatusCode.Cancelled, "the caller cancelled the call."));

    private RpcException Unexpected(ServerCallContext context, Exception exception)
    {
        Log.UnexpectedFailure(logger, context.Method, exception);
        return new RpcException(new Status(StatusCode.Internal, $"the sidecar failed on {context.Method} ({exception.GetType().Name}); its log has the details."));
    }

    public static StatusCode ToStatusCode(ErrorCode code) => code switch
    {
        ErrorCode.InvalidArgument => StatusCode.InvalidArgument,
        ErrorCode.NotFound => StatusCode.NotFound,
        ErrorCode.AlreadyExists => StatusCode.AlreadyExists,
        ErrorCode.FailedPrecondition => StatusCode.FailedPrecondition,
        ErrorCode.Aborted => StatusCode.Aborted,
        ErrorCode.ResourceExhausted => StatusCode.ResourceExhausted,
        ErrorCode.Unavailable => StatusCode.Unavailable,
        ErrorCode.DeadlineExceeded => StatusCode.DeadlineExceeded,
        ErrorCode.Internal => StatusCode.Internal,
        ErrorCode.PermissionDenied => StatusCode.PermissionDenied,
        _ => StatusCode.Unknown,
    };
}
