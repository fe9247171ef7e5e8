namespace BusRuntime.Core.State.Query;

/// <summary>
/// EQ, NEQ, GT, GTE, LT or LTE of the value at <see cref="Key"/> with <see cref="Value"/>. The parser lets GT, GTE,
/// LT and LTE compare with numbers only.
/// </summary>
public sealed record ComparisonFilter(QueryOperator Operator, QueryPath Key, QueryValue Value) : QueryFilter(Operator);
