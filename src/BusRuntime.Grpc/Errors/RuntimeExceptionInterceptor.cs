using BusRuntime.Core.Errors;
using BusRuntime.Core.Invoke;
using BusRuntime.Grpc.Invoke;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace BusRuntime.Grpc.Errors;

/// <summary>
/// The one place where runtime errors become gRPC statuses: <see cref="ErrorTable"/>'s busruntime.v1 column, or
/// its Dapr column for a call of dapr.proto.runtime.v1.Dapr, its Layotto column for one of spec.proto.runtime.v1.Runtime;
/// their messages reach the caller as they are.
/// An invoked app's own status passes through unchanged, with its headers and trailers as trailers.
/// A call whose caller went away or whose deadline passed ends as CANCELLED or DEADLINE_EXCEEDED, logged in a
/// line without the exception: whatever failed then failed because the call ended. Anything else that escapes
/// a call is a bug: it is logged in full and the caller gets INTERNAL naming the call, never the exception's details.
/// </summary>
public sealed class RuntimeExceptionInterceptor(TimeProvider timeProvider, ILogger<RuntimeExceptionInterceptor> logger) : Interceptor
{
    private static readonly string DaprMethodPrefix = $"/{Protos.Dapr.Runtime.V1.Dapr.Descriptor.FullName}/";
    private static readonly string LayottoMethodPrefix = $"/{Protos.Layotto.Runtime.V1.Runtime.Descriptor.FullName}/";

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
            throw ToRpcException(exception, context.Method);
        }
        catch (InvokeStatusException exception)
        {
            throw ToRpcException(exception);
        }
        catch (Exception exception) when (exception is not RpcException && context.CancellationToken.IsCancellationRequested)
        {
            Log.CallCancelled(logger, context.Method, exception.GetType().Name);
            throw Cancelled(context);
        }
        catch (Exception exception) when (exception is not RpcException)
        {
            throw Unexpected(context, exception);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return await continuation(requestStream, context).ConfigureAwait(false);
        }
        catch (RuntimeException exception)
        {
            throw ToRpcException(exception, context.Method);
        }
        catch (Exception exception) when (exception is not RpcException && (exception is IOException || context.CancellationToken.IsCancellationRequested))
        {
            Log.CallCancelled(logger, context.Method, exception.GetType().Name);
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
            throw ToRpcException(exception, context.Method);
        }
        catch (Exception exception) when (exception is not RpcException && (exception is IOException || context.CancellationToken.IsCancellationRequested))
        {
            // How a client stops following a topic or configuration: it resets its stream, and reads and writes fail
            // with whatever the transport says (OperationCanceledException, or an IOException that can come before
            // the call's token is cancelled).
            Log.StoppedFollowing(logger, context.Method);
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
            throw ToRpcException(exception, context.Method);
        }
        catch (Exception exception) when (exception is not RpcException && (exception is IOException || context.CancellationToken.IsCancellationRequested))
        {
            // How a client stops following a topic or configuration: it resets its stream, and reads and writes fail
            // with whatever the transport says (OperationCanceledException, or an IOException that can come before
            // the call's token is cancelled).
            Log.StoppedFollowing(logger, context.Method);
            throw Cancelled(context);
        }
        catch (Exception exception) when (exception is not RpcException)
        {
            throw Unexpected(context, exception);
        }
    }

    /// <summary>The status of <paramref name="exception"/> on the call <paramref name="method"/> ("/package.Service/Method").</summary>
    public static RpcException ToRpcException(RuntimeException exception, string method)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(method);
        var row = ErrorTable.Of(exception.Code);
        var code = method.StartsWith(DaprMethodPrefix, StringComparison.Ordinal) ? row.DaprGrpc
            : method.StartsWith(LayottoMethodPrefix, StringComparison.Ordinal) ? row.LayottoGrpc
            : row.BusRuntimeGrpc;
        return new RpcException(new Status((StatusCode)code, exception.Message));
    }

    public static RpcException ToRpcException(InvokeStatusException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var response = exception.Response;
        var trailers = InvokeServiceMapping.ToMetadata(response.Headers.Concat(response.Trailers));
        if (response.HttpStatusCode != 0)
        {
            trailers.Add(InvokeServiceMapping.HttpStatusHeader, response.HttpStatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

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
}
