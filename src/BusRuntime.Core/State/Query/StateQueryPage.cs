namespace BusRuntime.Core.State.Query;

/// <summary>
/// One page of a query's results, in order, and where the next page starts (<see cref="StateQuery.Offset"/> of the
/// next query): null when no result follows.
/// </summary>
public sealed record StateQueryPage(IReadOnlyList<StateQueryItem> Items, int? NextOffset);
