using System.Text;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Invoke;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace BusRuntime.Http.Dapr;

/// <summary>
/// /v1.0/invoke/{app-id}/method/{method}, any verb, on the invoke primitive: the body, Content-Type, verb,
/// query string and headers travel as the call's data, content type, http_verb, query_string and
/// metadata. The app's answer comes back as body, Content-Type and headers; a status other than OK
/// becomes the HTTP status Dapr maps it to, with the status as JSON. A call that got no answer is
/// ERR_DIRECT_INVOKE.
/// As in Dapr, a request no other route takes is an invocation of the app its dapr-app-id header names, or the password
/// of its basic-auth user dapr-app-id (<c>http://dapr-app-id:orders@localhost:3500/…</c>), the path being the method
/// (neither the header nor that Authorization header is passed on); without either it is 404 ERR_DIRECT_INVOKE.
/// </summary>
public static class InvokeRoutes
{
    /// <summary>The header that names the target app of a request to any path, as Dapr names it.</summary>
    public const string AppIdHeader = "dapr-app-id";

    private const string BasicScheme = "Basic ";

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
        CallAsync(appId, method ?? "", context, invoker, AppIdHeader);

    private static Task<IResult> InvokeByHeaderAsync(HttpContext context, ServiceInvoker invoker)
    {
        var appId = context.Request.Headers[AppIdHeader].FirstOrDefault();
        var consumed = AppIdHeader;
        if (string.IsNullOrEmpty(appId))
        {
            appId = BasicAuthAppId(context.Request.Headers.Authorization.FirstOrDefault());
            consumed = HeaderNames.Authorization;
        }

        if (string.IsNullOrEmpty(appId))
        {
            throw new DaprHttpException(
                StatusCodes.Status404NotFound,
                DaprErrorCodes.DirectInvoke,
                $"no route serves {context.Request.Method} {Quoted.Of(context.Request.Path.Value)}, and the request has no {AppIdHeader} header (or basic-auth user {AppIdHeader}) naming an app to invoke.");
        }

        return CallAsync(appId, (context.Request.Path.Value ?? "").TrimStart('/'), context, invoker, consumed);
    }

    /// <summary>The app id of Dapr's basic-auth form, user <c>dapr-app-id</c> and the app id as password; null otherwise.</summary>
    private static string? BasicAuthAppId(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(BasicScheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var encoded = authorization[BasicScheme.Length..].Trim();
        var bytes = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, bytes, out var length))
        {
            return null;
        }

        var pair = Encoding.UTF8.GetString(bytes, 0, length).Split(':');
        return pair.Length == 2 && pair[0].Equals(AppIdHeader, StringComparison.OrdinalIgnoreCase) ? pair[1] : null;
    }

    // consumedHeader named the target app: it is not passed on.
    private static async Task<IResult> CallAsync(string appId, string method, HttpContext context, ServiceInvoker invoker, string consumedHeader)
    {
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        var body = await DaprResults.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        var query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        var headers = request.Headers
            .Where(header => !header.Key.Equals(consumedHeader, StringComparison.OrdinalIgnoreCase))
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
