using System.Text.Json.Serialization;

namespace BusRuntime.Http.Dapr;

/// <summary>
/// The body Dapr answers with when a gRPC app returned a status other than OK: the google.rpc.Status as
/// JSON, with an omitted message when the app gave none.
/// </summary>
public sealed record InvokeStatusBody(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message);
