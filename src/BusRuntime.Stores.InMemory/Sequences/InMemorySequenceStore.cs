using BusRuntime.Core.Sequences;

namespace BusRuntime.Stores.InMemory.Sequences;

/// <summary>Sequences in this process's memory: they start again at 1 when the sidecar restarts.</summary>
public sealed class InMemorySequenceStore : ISequenceStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, long> last = new(StringComparer.Ordinal);

    public Task<long> ReserveAsync(string key, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (gate)
        {
            var reserved = checked(last.GetValueOrDefault(key) + count);
            last[key] = reserved;
            return Task.FromResult(reserved);
        }
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
