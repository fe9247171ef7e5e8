using BusRuntime.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BusRuntime.Http.Dapr;

/// <summary>
/// The one place where failures of a Dapr HTTP route become Dapr's error answers: a runtime error gets
/// <see cref="ErrorTable.DaprHttp"/>'s status and error code for the route's <paramref name="operation"/>; a
/// body the server could not read is ERR_BODY_READ; anything else is a bug, logged in full and answered as
/// ERR_INTERNAL naming the route, never with the exception's details.
/// </summary>
public sealed class DaprErrorFilter(ApiOperation operation) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (RuntimeException exception)
        {
            var answer = ErrorTable.DaprHttp(exception.Code, operation);
            return DaprResults.Error(answer.Status, answer.ErrorCode, exception.Message);
        }
        catch (DaprHttpException exception)
        {
            return DaprResults.Error(exception.StatusCode, exception.ErrorCode, exception.Message);
        }
        catch (BadHttpRequestException exception)
        {
            return DaprResults.Error(exception.StatusCode, DaprErrorCodes.BodyRead, $"failed to read request body: {exception.Message}");
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The caller went away: nobody reads an answer.
            return Results.Empty;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            var route = $"{context.HttpContext.Request.Method} {(context.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText}";
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILogger<DaprErrorFilter>>();
            Log.UnexpectedFailure(logger, route, exception);
            return DaprResults.Error(StatusCodes.Status500InternalServerError, DaprErrorCodes.Internal, $"the sidecar failed on {route} ({exception.GetType().Name}); its log has the details.");
        }
    }
}
