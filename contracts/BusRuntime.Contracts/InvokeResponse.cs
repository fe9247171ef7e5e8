namespace BusRuntime.Contracts;

/// <summary>
/// The answer to an <see cref="InvokeRequest"/>: the app's bytes on success, or the app's own gRPC
/// status. Failures travel in this message, never as a MassTransit fault, so the caller gets the
/// app's status code and message unchanged.
/// </summary>
public sealed record InvokeResponse
{
    /// <summary>The gRPC status code number of the answer: 0 (OK) on success.</summary>
    public int StatusCode { get; init; }

    /// <summary>
    /// The HTTP status the app answered with when it is an HTTP app (Dapr's <c>--app-protocol http</c>); 0 for a gRPC
    /// app. An HTTP caller gets this status, with <see cref="Data"/>, <see cref="ContentType"/> and <see cref="Headers"/>,
    /// whatever it is; <see cref="StatusCode"/> is then the gRPC code Dapr maps it to (OK for 2xx).
    /// </summary>
    public int HttpStatusCode { get; init; }

    /// <summary>The status message when <see cref="StatusCode"/> is not OK.</summary>
    public string StatusMessage { get; init; } = "";

    /// <summary>The app's bytes, carried untouched.</summary>
    public byte[] Data { get; init; } = [];

    /// <summary>The media type of <see cref="Data"/>; may be empty.</summary>
    public string ContentType { get; init; } = "";

    /// <summary>The protobuf type URL of <see cref="Data"/> when the app answered with a packed message; empty for plain bytes.</summary>
    public string DataTypeUrl { get; init; } = "";

    /// <summary>The app's response headers, returned to the caller as response headers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The app's trailers, returned to the caller as trailers.</summary>
    public IReadOnlyDictionary<string, string> Trailers { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// True when the target's sidecar answered without calling the app, because it refused the call: its access
    /// control denied the caller (PERMISSION_DENIED), the method could not be passed on (INVALID_ARGUMENT), or app health
    /// checks found the app unhealthy or an HTTP app did not answer on its port (UNAVAILABLE). The
    /// status and message are then the sidecar's, and the caller's sidecar reports them as its own kind of failure.
    /// </summary>
    public bool RefusedBySidecar { get; init; }

    /// <summary>The <see cref="StatusCode"/> of a successful call.</summary>
    public const int Ok = 0;
}
