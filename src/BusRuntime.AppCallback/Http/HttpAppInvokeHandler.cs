using BusRuntime.Contracts;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Health;
using BusRuntime.Core.Invoke;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace BusRuntime.AppCallback.Http;

/// <summary>
/// Answers invoke requests of an HTTP app as daprd calls it: an HTTP request to <c>/&lt;method&gt;</c> with the caller's verb
/// (POST when it named none), query string, headers (with <c>dapr-caller-app-id</c>), content type and body, bounded by the
/// request's expiry. What the app answers goes back as it is, whatever its status: the status (<see cref="InvokeResponse.HttpStatusCode"/>,
/// and the gRPC code daprd maps it to), headers, content type and body. An app that cannot be reached is UNAVAILABLE, one that
/// answers too late DEADLINE_EXCEEDED, one that is unhealthy (app health checks) refused at once (UNAVAILABLE, the sidecar's failure), a body larger than BusRuntime:MaxPayloadBytes RESOURCE_EXHAUSTED.
/// </summary>
public sealed class HttpAppInvokeHandler(
    IHttpClientFactory clients,
    IOptions<AppChannelOptions> options,
    IOptions<RuntimeOptions> runtimeOptions,
    AppHealth health,
    TimeProvider timeProvider) : IInvokeHandler
{
    public async Task<InvokeResponse> HandleAsync(InvokeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!health.IsHealthy)
        {
            // As daprd: the sidecar refuses the call, which the caller's sidecar answers as its own failure (ERR_DIRECT_INVOKE).
            return Failure(InvokeStatus.Unavailable, $"app '{request.AppId}' is unhealthy: {health.Reason}.") with { RefusedBySidecar = true };
        }

        var client = clients.CreateClient(HttpAppClient.Name);
        HttpMethod verb;
        try
        {
            verb = request.HttpVerb.Length == 0 ? HttpMethod.Post : HttpMethod.Parse(request.HttpVerb);
        }
        catch (FormatException)
        {
            return Failure((int)CanonicalCode.InvalidArgument, $"http verb {Quoted.Of(request.HttpVerb)} is not an HTTP method.");
        }

        using var message = ToHttpRequest(request, verb);
        var remaining = request.ExpiresAt - timeProvider.GetUtcNow();
        using var expiry = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, timeProvider);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, call.Token).ConfigureAwait(false);
            var limit = runtimeOptions.Value.MaxPayloadBytes;
            var body = await HttpAppAnswers.ReadAsync(response.Content, limit, call.Token).ConfigureAwait(false);
            var statusCode = (int)response.StatusCode;
            if (body is null)
            {
                return Failure(InvokeStatus.ResourceExhausted, $"app '{request.AppId}' answered {request.Method} with a body larger than BusRuntime:MaxPayloadBytes ({limit} bytes).");
            }

            var code = HttpAppStatus.ToCanonical(statusCode);
            return new InvokeResponse
            {
                StatusCode = (int)code,
                StatusMessage = code == CanonicalCode.Ok ? "" : ReasonPhrases.GetReasonPhrase(statusCode),
                HttpStatusCode = statusCode,
                Data = body,
                ContentType = response.Content.Headers.ContentType?.ToString() ?? "",
                Headers = Carried(response),
            };
        }
        catch (HttpRequestException exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The app never saw the call: the sidecar answers for it, as daprd does (ERR_DIRECT_INVOKE over HTTP).
            return Failure(InvokeStatus.Unavailable, $"app '{request.AppId}' does not answer on {options.Value.AppAddress}: {exception.Message}") with { RefusedBySidecar = true };
        }
        catch (OperationCanceledException) when (expiry.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Failure(InvokeStatus.DeadlineExceeded, $"app '{request.AppId}' did not answer {request.Method} before the caller's deadline.");
        }
    }

    private static HttpRequestMessage ToHttpRequest(InvokeRequest request, HttpMethod verb)
    {
        // Relative to the app's address: dot segments are resolved there, so the path never leaves the app.
        var target = "/" + request.Method.TrimStart('/') + (request.QueryString.Length > 0 ? "?" + request.QueryString : "");
        var message = new HttpRequestMessage(verb, new Uri(target, UriKind.Relative));
        if (request.Data.Length > 0 || request.ContentType.Length > 0)
        {
            message.Content = new ByteArrayContent(request.Data);
            if (request.ContentType.Length > 0)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }

        foreach (var (key, value) in request.Metadata)
        {
            // A .NET service may send what the sidecar would have refused; the app gets only what is carried.
            if (InvokeHeaders.Problem(key, value) is null && !message.Headers.TryAddWithoutValidation(key, value))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(key, value);
            }
        }

        message.Headers.TryAddWithoutValidation(HttpAppClient.CallerAppIdHeader, request.Source);
        return message;
    }

    /// <summary>The app's headers as they travel back to the caller: those the transports do not own, several values joined as HTTP joins them.</summary>
    private static Dictionary<string, string> Carried(HttpResponseMessage response)
    {
        var carried = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            var key = name.ToLowerInvariant();
            var value = string.Join(", ", values);
            if (InvokeHeaders.Problem(key, value) is null)
            {
                carried[key] = value;
            }
        }

        return carried;
    }

    private static InvokeResponse Failure(int code, string message) =>
        new() { StatusCode = code, StatusMessage = message };
}
