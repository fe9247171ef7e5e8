namespace BusRuntime.Core.State.Query;

/// <summary>
/// One filter of a query: a <see cref="ComparisonFilter"/>, an <see cref="InFilter"/> or a <see cref="LogicalFilter"/>.
/// </summary>
public abstract record QueryFilter(QueryOperator Operator);
