using BusRuntime.Core.Stores;

namespace BusRuntime.Core.State;

/// <summary>
/// Where a state component keeps its entries. Keys here are storage keys (already scoped). Every
/// implementation passes the same behaviour suite (tests/BusRuntime.Stores.Tests).
/// </summary>
public interface IStateStore : IHealthReportingStore
{
    /// <summary>Reads the live entries of <paramref name="keys"/>; a missing or expired key is absent from the result.</summary>
    Task<IReadOnlyDictionary<string, StoredState>> GetAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>
    /// Applies every write, in order, atomically: all of them or none. Returns the new etag of each write
    /// (null for a delete). A write whose precondition does not hold aborts them all with
    /// <see cref="ETagMismatchException"/> naming its index. An expired entry counts as absent.
    /// </summary>
    Task<IReadOnlyList<long?>> ApplyAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken);

    /// <summary>Deletes entries whose TTL has passed and says how many.</summary>
    Task<int> DeleteExpiredAsync(CancellationToken cancellationToken);
}
