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
        endpoints.Map("/v1.0/invoke/{appId}/method/{**method}", InvokeAsync).AddEndpointFilter(new DaprErrorFilter(ApiOperation.Invoke));
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
