using System.Text.Json.Serialization;

namespace BusRuntime.Http.Dapr;

/// <summary>One entry of a bulk publish that was not published, and why.</summary>
public sealed record BulkPublishFailedEntry(
    [property: JsonPropertyName("entryId")] string EntryId,
    [property: JsonPropertyName("error")] string Error);
