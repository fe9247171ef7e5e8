using BusRuntime.Core.Stores;

namespace BusRuntime.Core.Sequences;

/// <summary>Where a sequencer component keeps the last id it handed out per key (keys already scoped).</summary>
public interface ISequenceStore : IHealthReportingStore
{
    /// <summary>
    /// Reserves the next <paramref name="count"/> ids of <paramref name="key"/> atomically and returns the
    /// last of them: the reserved ids are (result - count, result]. The first id of a key is 1.
    /// </summary>
    Task<long> ReserveAsync(string key, int count, CancellationToken cancellationToken);
}
