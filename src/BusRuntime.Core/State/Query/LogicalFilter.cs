namespace BusRuntime.Core.State.Query;

/// <summary>AND or OR of at least two <see cref="Filters"/>.</summary>
public sealed record LogicalFilter(QueryOperator Operator, IReadOnlyList<QueryFilter> Filters) : QueryFilter(Operator);
