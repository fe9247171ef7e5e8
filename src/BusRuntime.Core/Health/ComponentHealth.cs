using System.Text.Json.Serialization;

namespace BusRuntime.Core.Health;

/// <summary>One component's part of a readiness report.</summary>
public sealed record ComponentHealth(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("details")] IReadOnlyDictionary<string, string> Details);
