using System.Text.Json.Serialization;

namespace BusRuntime.Http.Dapr;

/// <summary>The body of every error of Dapr's HTTP API: <c>{"errorCode":"ERR_…","message":"…"}</c>.</summary>
public sealed record DaprError(
    [property: JsonPropertyName("errorCode")] string ErrorCode,
    [property: JsonPropertyName("message")] string Message);
