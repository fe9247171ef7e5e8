namespace BusRuntime.Core.Invoke;

/// <summary>
/// One call of another app's method, as the calling app asks for it. <see cref="DataTypeUrl"/> is the
/// protobuf type URL of <see cref="Data"/> when the caller packed a message (Dapr's InvokeService).
/// </summary>
public sealed record InvokeCall(
    string AppId,
    string Method,
    ReadOnlyMemory<byte> Data,
    string ContentType,
    string HttpVerb,
    string QueryString,
    IReadOnlyDictionary<string, string> Metadata,
    string DataTypeUrl = "");
