namespace BusRuntime.Core.State.Query;

/// <summary>One sort key of a query, ascending unless <see cref="Descending"/>.</summary>
public sealed record QuerySort(QueryPath Key, bool Descending);
