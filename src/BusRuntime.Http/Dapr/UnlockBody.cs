using System.Text.Json.Serialization;

namespace BusRuntime.Http.Dapr;

/// <summary>The answer of Dapr's unlock route: its UnlockResponse status as a number, as Dapr sends it.</summary>
public sealed record UnlockBody([property: JsonPropertyName("status")] int Status);
