namespace BusRuntime.Contracts;

/// <summary>
/// A call of one method of an app, sent as a MassTransit request to <see cref="InvokeNames.Exchange"/>;
/// whoever answers for the app responds with an <see cref="InvokeResponse"/>.
/// </summary>
public sealed record InvokeRequest
{
    /// <summary>The app being called.</summary>
    public required string AppId { get; init; }

    /// <summary>The method, as the app's <c>OnInvoke</c> receives it.</summary>
    public required string Method { get; init; }

    /// <summary>The app id of the caller.</summary>
    public required string Source { get; init; }

    /// <summary>The caller's bytes, carried untouched.</summary>
    public byte[] Data { get; init; } = [];

    /// <summary>The media type of <see cref="Data"/>; may be empty.</summary>
    public string ContentType { get; init; } = "";

    /// <summary>
    /// The protobuf type URL of <see cref="Data"/> when the caller sent a packed message (Dapr's
    /// InvokeService with a google.protobuf.Any); empty for plain bytes.
    /// </summary>
    public string DataTypeUrl { get; init; } = "";

    /// <summary>An HTTP verb (GET, POST, …) for apps that route by it; empty when the caller named none.</summary>
    public string HttpVerb { get; init; } = "";

    /// <summary>An encoded query string for apps that route by it; may be empty.</summary>
    public string QueryString { get; init; } = "";

    /// <summary>The caller's metadata, passed to the app as gRPC request headers.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// When the caller stops waiting. Work that would start after it is skipped, and the app is
    /// called with this as its deadline.
    /// </summary>
    public DateTimeOffset ExpiresAt { get; init; }
}
