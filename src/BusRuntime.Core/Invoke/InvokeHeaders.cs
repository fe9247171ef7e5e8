using BusRuntime.Core.Errors;
namespace BusRuntime.Core.Invoke;

/// <summary>
/// Which metadata passes between apps as gRPC headers. HTTP/2 and gRPC own some names (pseudo-headers,
/// <c>grpc-*</c>, <c>content-type</c>, …): those are the transports', never an app's, so they are neither
/// accepted from a caller nor passed back from a target. Values are text; binary (<c>-bin</c>) headers
/// are not carried.
/// </summary>
public static class InvokeHeaders
{
    /// <summary>The header that tells the target app who called it, as Dapr names it.</summary>
    public const string CallerAppId = "dapr-caller-app-id";

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "content-type", "te", "host", "user-agent", "connection", "keep-alive", "transfer-encoding", "upgrade",
        "content-length", "accept-encoding", "date", "server", "traceparent", "tracestate", CallerAppId,
    };

    /// <summary>Whether a header passes between apps.</summary>
    public static bool IsCarried(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length > 0
            && !key.StartsWith(':')
            && !key.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase)
            && !key.EndsWith("-bin", StringComparison.OrdinalIgnoreCase)
            && !Reserved.Contains(key);
    }

    /// <summary>Why a caller's metadata entry cannot be sent as a header, or null when it can.</summary>
    public static string? Problem(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (key.Length == 0)
        {
            return "metadata has an empty key.";
        }

        if (!key.All(IsKeyCharacter))
        {
            return $"metadata key {Quoted.Of(key)} must consist of letters, digits, '-', '_' and '.' (it becomes a gRPC header).";
        }

        if (!IsCarried(key))
        {
            return $"metadata key {Quoted.Of(key)} is reserved for the transport (grpc-*, -bin, content-type, te, traceparent, {CallerAppId}, …).";
        }

        return value.All(character => character is >= ' ' and <= '~')
            ? null
            : $"metadata[{Quoted.Of(key)}] must be printable ASCII (it becomes a gRPC header).";
    }

    /// <summary>
    /// The headers of a caller's request that reach the invoked app as metadata, as Dapr passes them: names
    /// in lower case, all but those the transports own (<see cref="IsCarried"/>) and the API token, which
    /// authorizes the call to this sidecar only. A header gRPC cannot carry is left out rather than failing the call.
    /// </summary>
    public static Dictionary<string, string> FromCaller(IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            var key = name.ToLowerInvariant();
            if (key != Security.ApiTokenGuard.HeaderName && Problem(key, value) is null)
            {
                metadata[key] = value;
            }
        }

        return metadata;
    }

    private static bool IsKeyCharacter(char character) =>
        char.IsAsciiLetterOrDigit(character) || character is '-' or '_' or '.';
}
