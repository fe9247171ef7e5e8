using System.Globalization;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Resilience;
using Polly;
using Polly.Timeout;

namespace BusRuntime.Bindings.Http;

/// <summary>
/// bindings.http: an operation is an HTTP method ("create" is POST, as in Dapr) on the component's URL, with the request
/// metadata <c>path</c> appended to it (never leaving its scheme, host, port and path) and every other metadata entry sent as a
/// header. The answer is the response body, at most maxResponseBytes, and its headers and <c>statusCode</c> as metadata,
/// whatever the status: the app decides what a 404 means. Redirects are not followed. The whole call is bounded by the
/// component's timeout, in the pipeline <see cref="ResiliencePipelines.BindingHttp"/>.
/// </summary>
public sealed class HttpOutputBinding(string name, HttpBindingSettings settings, HttpClient client, ResiliencePipeline pipeline) : IOutputBinding
{
    private static readonly Dictionary<string, HttpMethod> Methods = new(StringComparer.Ordinal)
    {
        ["create"] = HttpMethod.Post,
        ["get"] = HttpMethod.Get,
        ["head"] = HttpMethod.Head,
        ["post"] = HttpMethod.Post,
        ["put"] = HttpMethod.Put,
        ["patch"] = HttpMethod.Patch,
        ["delete"] = HttpMethod.Delete,
        ["options"] = HttpMethod.Options,
        ["trace"] = HttpMethod.Trace,
    };

    public IReadOnlyList<string> Operations { get; } = [.. Methods.Keys];

    public async Task<BindingResponse> InvokeAsync(BindingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = new HttpRequestMessage(Methods[request.Operation], Target(request.Metadata));
        using (message)
        {
            if (request.Operation is not ("get" or "head" or "options" or "trace") || !request.Data.IsEmpty)
            {
                message.Content = new ReadOnlyMemoryContent(request.Data);
            }

            foreach (var (key, value) in request.Metadata)
            {
                if (key.Equals(BindingMetadata.RequestPath, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (value.AsSpan().IndexOfAny('\r', '\n') >= 0
                    || !(message.Headers.TryAddWithoutValidation(key, value) || (message.Content?.Headers.TryAddWithoutValidation(key, value) ?? false)))
                {
                    throw RuntimeException.InvalidArgument($"metadata[{Quoted.Bare(key)}] cannot be sent as an HTTP header; use a header name and a value on one line.");
                }
            }

            try
            {
                return await pipeline.ExecuteAsync(
                    static async (state, token) => await state.Binding.SendAsync(state.message, token).ConfigureAwait(false),
                    (Binding: this, message),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutRejectedException exception)
            {
                throw RuntimeException.DeadlineExceeded($"binding '{name}' got no answer from {settings.Url.GetLeftPart(UriPartial.Authority)} within {settings.Timeout:c} (its metadata timeout).", exception);
            }
            catch (HttpRequestException exception)
            {
                throw RuntimeException.Unavailable($"binding '{name}' could not reach {settings.Url.GetLeftPart(UriPartial.Authority)}: {exception.Message}", exception);
            }
        }
    }

    private async Task<BindingResponse> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var limit = settings.MaxResponseBytes;
        if (response.Content.Headers.ContentLength > limit)
        {
            throw TooLarge(response.Content.Headers.ContentLength.Value);
        }

        var body = await ReadBoundedAsync(response.Content, limit, cancellationToken).ConfigureAwait(false);
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [BindingMetadata.StatusCode] = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, values) in response.Headers.Concat(response.Content.Headers))
        {
            metadata[key] = string.Join(", ", values);
        }

        return new BindingResponse(body, metadata);
    }

    private async Task<ReadOnlyMemory<byte>> ReadBoundedAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var body = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > limit)
                {
                    throw TooLarge(body.Length + read);
                }

                await body.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }

            return body.GetBuffer().AsMemory(0, (int)body.Length);
        }
    }

    private RuntimeException TooLarge(long bytes) =>
        RuntimeException.ResourceExhausted(
            $"binding '{name}': the response is {(bytes > settings.MaxResponseBytes ? "at least " : "")}{bytes} bytes, over the maximum of {settings.MaxResponseBytes} bytes (its metadata maxResponseBytes); it was not read.");

    /// <summary>The component's URL with the request's path appended; INVALID_ARGUMENT for a path that would leave its origin.</summary>
    private Uri Target(IReadOnlyDictionary<string, string> metadata)
    {
        var path = metadata.FirstOrDefault(entry => entry.Key.Equals(BindingMetadata.RequestPath, StringComparison.OrdinalIgnoreCase)).Value;
        if (string.IsNullOrEmpty(path))
        {
            return settings.Url;
        }

        var joined = settings.Url.AbsoluteUri.TrimEnd('/') + "/" + path.TrimStart('/');
        return Uri.TryCreate(joined, UriKind.Absolute, out var target)
            && !path.Contains("://", StringComparison.Ordinal)
            && Uri.Compare(target, settings.Url, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0
            && (target.AbsolutePath + "/").StartsWith(settings.Url.AbsolutePath.TrimEnd('/') + "/", StringComparison.Ordinal)
                ? target
                : throw RuntimeException.InvalidArgument($"metadata[path] {Quoted.Of(path)} is not a path below the binding's URL; pass a path such as 'orders/17'.");
    }
}
