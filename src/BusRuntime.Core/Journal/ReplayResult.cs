namespace BusRuntime.Core.Journal;

/// <summary>What a replay sent (or, on a dry run, would send) and anything the operator should know.</summary>
public sealed record ReplayResult(string? MessageId, string Topic, string DestinationAddress, IReadOnlyList<string> Warnings);
