namespace BusRuntime.Core.PubSub;

/// <summary>What became of one bulk entry: a message id when the broker confirmed it, an error when not.</summary>
public sealed record BulkPublishResult(string EntryId, string? MessageId, string? Error);
