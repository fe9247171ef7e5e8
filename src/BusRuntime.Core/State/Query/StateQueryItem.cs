namespace BusRuntime.Core.State.Query;

/// <summary>One result a store found: its storage key (scoped) and its entry.</summary>
public sealed record StateQueryItem(string Key, StoredState Entry);
