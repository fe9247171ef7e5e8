namespace BusRuntime.Core.State.Query;

/// <summary>
/// What a query returns to the app: the results with the app's own keys, and <see cref="Token"/>, the page token of
/// the next page ("" when this page is the last).
/// </summary>
public sealed record StateQueryResult(IReadOnlyList<StateValue> Results, string Token);
