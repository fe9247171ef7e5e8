using BusRuntime.Core.State.Query;
using BusRuntime.Core.Stores;

namespace BusRuntime.Core.State;

/// <summary>
/// A state store that answers Dapr's state queries. A state store without it answers a query as Dapr answers for a
/// store that cannot query (<see cref="Errors.ErrorCode.Unimplemented"/>). Every implementation passes the shared
/// query behaviour suite (tests/BusRuntime.Stores.Tests, StateQueryBehaviour).
/// </summary>
public interface IQueryableStateStore : IStateStore
{
    /// <summary>
    /// One page of the live entries of <paramref name="scope"/> (<see cref="KeyScope.Owns"/>) that match
    /// <paramref name="query"/>, as <see cref="StateQuery"/> defines it, with their storage keys. The page ends before
    /// the result that would take its values past <paramref name="maxPageBytes"/> bytes (it always holds the first
    /// result), and <see cref="StateQueryPage.NextOffset"/> says where the next page starts.
    /// </summary>
    Task<StateQueryPage> QueryAsync(StateQuery query, KeyScope scope, long maxPageBytes, CancellationToken cancellationToken);
}
