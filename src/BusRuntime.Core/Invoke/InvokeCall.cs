namespace BusRuntime.Core.Invoke;

/// <summary>One call of another app's method, as the calling app asks for it.</summary>
public sealed record InvokeCall(
    string AppId,
    string Method,
    ReadOnlyMemory<byte> Data,
    string ContentType,
    string HttpVerb,
    string QueryString,
    IReadOnlyDictionary<string, string> Metadata);
