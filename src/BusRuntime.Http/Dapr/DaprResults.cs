using BusRuntime.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace BusRuntime.Http.Dapr;

/// <summary>Answers shaped as Dapr's HTTP API shapes them.</summary>
public static class DaprResults
{
    public static IResult Error(int statusCode, string errorCode, string message) =>
        Results.Json(new DaprError(errorCode, message), statusCode: statusCode);

    /// <summary>
    /// The metadata.* query parameters of a request, without the prefix (Dapr's way of passing component
    /// metadata on routes whose body is the payload).
    /// </summary>
    public static Dictionary<string, string> QueryMetadata(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        const string prefix = "metadata.";
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in request.Query)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal) && key.Length > prefix.Length)
            {
                metadata[key[prefix.Length..]] = values.Count > 0 ? values[0] ?? "" : "";
            }
        }

        return metadata;
    }

    /// <summary>
    /// The whole request body; Kestrel's MaxRequestBodySize bounds it. A body that cannot be read (framing Kestrel
    /// refuses, such as a chunk size that overflows, or a connection that ends early) is 400 ERR_BODY_READ.
    /// </summary>
    public static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var buffer = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException exception) when (exception is not BadHttpRequestException)
        {
            throw new DaprHttpException(StatusCodes.Status400BadRequest, DaprErrorCodes.BodyRead, $"failed to read request body: {exception.Message}");
        }

        return buffer.ToArray();
    }
}
