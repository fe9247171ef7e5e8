namespace BusRuntime.Core.State.Query;

/// <summary>
/// A parsed state query (Dapr's query language; <see cref="StateQueryParser"/>). Every store that queries answers it
/// alike, and the shared behaviour suite (tests/BusRuntime.Stores.Tests, StateQueryBehaviour) holds them to it:
/// <list type="bullet">
/// <item>Only entries whose value is JSON take part; other values are never returned. Expired entries are absent.</item>
/// <item>A key names members from the value's root; a key the value lacks (or whose way passes through something
/// that is not an object) matches no filter, NEQ included.</item>
/// <item>EQ, NEQ and IN compare JSON values: the same kind and the same value, numbers by value (1 equals 1.0),
/// strings exactly. GT, GTE, LT and LTE match only values that are numbers.</item>
/// <item>Without <see cref="Filter"/> every JSON value matches.</item>
/// <item>The results are ordered by <see cref="Sort"/>, then by key (ordinal). Values of a sort key order as
/// PostgreSQL orders jsonb: null, strings (by Unicode code point), numbers, false, true, arrays, objects; an entry
/// without the sort key comes after every entry with it, ascending or descending.</item>
/// <item>A page starts <see cref="Offset"/> results in and holds at most <see cref="Limit"/> results.</item>
/// </list>
/// </summary>
/// <param name="Filter">What a value must match; null matches every value.</param>
/// <param name="Sort">The sort keys, first first; empty orders by key.</param>
/// <param name="Limit">The most results of the page (1 to <see cref="StateQueryLimits.MaxLimit"/>).</param>
/// <param name="Offset">How many results earlier pages held (the page's token).</param>
public sealed record StateQuery(QueryFilter? Filter, IReadOnlyList<QuerySort> Sort, int Limit, int Offset);
