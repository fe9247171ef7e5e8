using System.Text.Json.Serialization;

namespace BusRuntime.Http.Dapr;

/// <summary>The answer of Dapr's lock route: whether the lock was taken.</summary>
public sealed record TryLockBody([property: JsonPropertyName("success")] bool Success);
