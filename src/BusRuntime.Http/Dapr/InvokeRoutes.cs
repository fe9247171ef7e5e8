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
/// As in Dapr, a request no other route takes is an invocation of the app its dapr-app-id header names, the path being
/// the method (the header itself is not passed on); without the header it is 404 ERR_DIRECT_INVOKE.
/// </summary>
public static class InvokeRoutes
{
    /// <summary>The header that names the target app of a request to any path, as Dapr names it.</summary>
    public const string AppIdHeader = "dapr-app-id";

    public static IEndpointRouteBuilder MapDaprInvoke(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var errors = new DaprErrorFilter(ApiOperation.Invoke);
        endpoints.Map("/v1.0/invoke/{appId}/method/{**method}", InvokeAsync).AddEndpointFilter(errors);

        // Dapr's router falls back to invocation for a path, or a verb, no route serves.
        endpoints.MapFallback("{**path}", InvokeByHeaderAsync).AddEndpointFilter(errors);
        return endpoints;
    }

    private static Task<IResult> InvokeAsync(string appId, string? method, HttpContext context, ServiceInvoker invoker) =>
        CallAsync(appId, method ?? "", context, invoker);

    private static Task<IResult> InvokeByHeaderAsync(HttpContext context, ServiceInvoker invoker)
    {
        var appId = context.Request.Headers[AppIdHeader].FirstOrDefault();
        if (string.IsNullOrEmpty(appId))
        {
            throw new DaprHttpException(
                StatusCodes.Status404NotFound,
                DaprErrorCodes.DirectInvoke,
                $"no route serves {context.Request.Method} {Quoted.Of(context.Request.Path.Value)}, and the request has no {AppIdHeader} header naming an app to invoke.");
        }

        return CallAsync(appId, (context.Request.Path.Value ?? "").TrimStart('/'), context, invoker);
    }

    private static async Task<IResult> CallAsync(string appId, string method, HttpContext context, ServiceInvoker invoker)
    {
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        var body = await DaprResults.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        var query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        var headers = request.Headers
            .Where(header => !header.Key.Equals(AppIdHeader, StringComparison.OrdinalIgnoreCase))
            .Select(header => KeyValuePair.Create(header.Key, header.Value.ToString()));
        var call = new InvokeCall(appId, method, body, request.ContentType ?? "", request.Method, query, InvokeHeaders.FromCaller(headers));
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
                statusCode: CanonicalCodes.DaprHttpStatus(failed.StatusCode));
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
}
