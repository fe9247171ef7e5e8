using System.Text.Json.Serialization;

namespace BusRuntime.Http.Dapr;

/// <summary>The answer of a bulk publish some entries of which failed, in Dapr's field names.</summary>
public sealed record BulkPublishFailure(
    [property: JsonPropertyName("failedEntries")] IReadOnlyList<BulkPublishFailedEntry> FailedEntries,
    [property: JsonPropertyName("errorCode")] string ErrorCode);
