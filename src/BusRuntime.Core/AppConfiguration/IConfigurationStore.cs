using BusRuntime.Core.Stores;

namespace BusRuntime.Core.AppConfiguration;

/// <summary>
/// Where a configuration component keeps its items, each identified by (app id, group, label, key). A
/// delete keeps the item as a tombstone with a new version, so that a sidecar that missed the delete event
/// learns of it when it reads again. Every implementation passes the same behaviour suite
/// (tests/BusRuntime.Stores.Tests).
/// </summary>
public interface IConfigurationStore : IHealthReportingStore
{
    /// <summary>Whether sidecars other than this one may write the same items (a database), rather than only this one (its memory).</summary>
    bool IsShared { get; }

    /// <summary>
    /// The items of <paramref name="appId"/>/<paramref name="group"/>/<paramref name="label"/> with the given
    /// keys, or all of them when <paramref name="keys"/> is empty, in key order; tombstones only when
    /// <paramref name="includeDeleted"/>.
    /// </summary>
    Task<IReadOnlyList<StoredConfigurationItem>> GetAsync(
        string appId, string group, string label, IReadOnlyCollection<string> keys, bool includeDeleted, CancellationToken cancellationToken);

    /// <summary>
    /// Saves every item, in order, atomically, and returns the new version of each. An item's new version is
    /// greater than every version it had before, whoever wrote them.
    /// </summary>
    Task<IReadOnlyList<long>> SaveAsync(string appId, IReadOnlyList<ConfigurationItem> items, CancellationToken cancellationToken);

    /// <summary>Deletes the items that exist, atomically, and returns their tombstones (with their new versions) in key order.</summary>
    Task<IReadOnlyList<StoredConfigurationItem>> DeleteAsync(
        string appId, string group, string label, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);
}
