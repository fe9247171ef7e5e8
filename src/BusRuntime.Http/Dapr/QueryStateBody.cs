using System.Text.Json.Serialization;

namespace BusRuntime.Http.Dapr;

/// <summary>The answer of POST /v1.0-alpha1/state/{store}/query, as Dapr shapes it: the results, and the next page's token unless this page is the last.</summary>
public sealed record QueryStateBody(
    [property: JsonPropertyName("results")] IReadOnlyList<QueryStateItem> Results,
    [property: JsonPropertyName("token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Token);
