using System.Text.Json.Serialization;

namespace BusRuntime.Actuator;

/// <summary>One component in /actuator/info: the name apps use and its type.</summary>
public sealed record ComponentInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type);
