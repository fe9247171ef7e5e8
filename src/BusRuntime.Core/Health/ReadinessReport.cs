using System.Text.Json.Serialization;

namespace BusRuntime.Core.Health;

/// <summary>The body of /actuator/health/readiness: <c>{"status":"UP","components":{"bus":{…}}}</c>.</summary>
public sealed record ReadinessReport(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("components")] IReadOnlyDictionary<string, ComponentHealth> Components);
