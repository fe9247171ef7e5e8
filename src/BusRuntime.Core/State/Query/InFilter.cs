namespace BusRuntime.Core.State.Query;

/// <summary>IN: the value at <see cref="Key"/> equals one of <see cref="Values"/> (at least one).</summary>
public sealed record InFilter(QueryPath Key, IReadOnlyList<QueryValue> Values) : QueryFilter(QueryOperator.In);
