using BusRuntime.Core.Errors;
using BusRuntime.Core.Invoke;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BusRuntime.Http.Dapr;

/// <summary>
/// /v1.0/invoke/{app-id}/method/{method}, any verb, on the invoke primitive: the body, Content-Type, verb,
/// query string and headers travel as the call's data, content type, http_verb, query_string and
/// metadata. The app's answer comes back as body, Content-Type and headers; a status other than OK
/// becomes the HTTP status Dapr maps it to, with the status as JSON. A call that got no answer is
/// ERR_DIRECT_INVOKE.
/// </summary>
public static class InvokeRoutes
{
    public static IEndpointRouteBuilder MapDaprInvoke(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.Map("/v1.0/invoke/{appId}/method/{**method}", InvokeAsync).AddEndpointFilter(new DaprErrorFilter(Errors));
        return endpoints;
    }

    private static async Task<IResult> InvokeAsync(string appId, string? method, HttpContext context, ServiceInvoker invoker)
    {
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        var body = await DaprResults.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        var query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        var call = new InvokeCall(appId, method ?? "", body, request.ContentType ?? "", request.Method, query, InvokeHeaders.FromCaller(request.Headers.Select(header => KeyValuePair.Create(header.Key, header.Value.ToString()))));
        Contracts.InvokeResponse answer;
        try
        {
            // HTTP carries no deadline: the sidecar's default timeout bounds the call.
            answer = await invoker.InvokeAsync(call, deadline: null, cancellationToken).ConfigureAwait(false);
        }
        catch (InvokeStatusException exception)
        {
            var failed = exception.Response;
            CopyHeaders(failed.Headers.Concat(failed.Trailers), context.Response.Headers);
            return Results.Json(
                new InvokeStatusBody(failed.StatusCode, string.IsNullOrEmpty(failed.StatusMessage) ? null : failed.StatusMessage),
                statusCode: ToHttpStatus(failed.StatusCode));
        }

        CopyHeaders(answer.Headers, context.Response.Headers);
        return Results.Bytes(answer.Data, string.IsNullOrEmpty(answer.ContentType) ? null : answer.ContentType);
    }

    private static void CopyHeaders(IEnumerable<KeyValuePair<string, string>> entries, IHeaderDictionary headers)
    {
        foreach (var (key, value) in entries)
        {
            if (InvokeHeaders.Problem(key, value) is null)
            {
                headers.Append(key, value);
            }
        }
    }

    /// <summary>Dapr's mapping of a gRPC status to an HTTP status (FAILED_PRECONDITION is 400, not 412, on purpose in Dapr).</summary>
    public static int ToHttpStatus(int grpcCode) => grpcCode switch
    {
        0 => StatusCodes.Status200OK,
        1 => StatusCodes.Status408RequestTimeout,
        3 or 9 or 11 => StatusCodes.Status400BadRequest,
        4 => StatusCodes.Status504GatewayTimeout,
        5 => StatusCodes.Status404NotFound,
        6 or 10 => StatusCodes.Status409Conflict,
        7 => StatusCodes.Status403Forbidden,
        8 => StatusCodes.Status429TooManyRequests,
        12 => StatusCodes.Status501NotImplemented,
        14 => StatusCodes.Status503ServiceUnavailable,
        16 => StatusCodes.Status401Unauthorized,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>A call that got no answer: ERR_DIRECT_INVOKE, 400 when the call itself was not valid, 500 otherwise (as Dapr).</summary>
    private static (int, string, string) Errors(RuntimeException exception) =>
        (exception.Code == ErrorCode.InvalidArgument ? StatusCodes.Status400BadRequest : StatusCodes.Status500InternalServerError,
         DaprErrorCodes.DirectInvoke,
         $"failed to invoke: {exception.Message}");
}
