using BusRuntime.Core.State;

namespace BusRuntime.Stores.InMemory.State;

/// <summary>
/// State in this process's memory, lost when it stops. One lock makes every batch of writes atomic;
/// etags come from one counter, so an etag is never reused, not even after a delete.
/// </summary>
public sealed class InMemoryStateStore(TimeProvider timeProvider) : IStateStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, StoredState> entries = new(StringComparer.Ordinal);
    private long lastETag;

    public Task<IReadOnlyDictionary<string, StoredState>> GetAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var now = timeProvider.GetUtcNow();
        var found = new Dictionary<string, StoredState>(StringComparer.Ordinal);
        lock (gate)
        {
            foreach (var key in keys)
            {
                if (Live(key, now) is { } entry)
                {
                    found[key] = entry;
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, StoredState>>(found);
    }

    public Task<IReadOnlyList<long?>> ApplyAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            // Check every precondition against the entries as the earlier writes of the batch leave them,
            // then apply: a failing write leaves the store untouched.
            var pending = new Dictionary<string, StoredState?>(StringComparer.Ordinal);
            var etags = new long?[writes.Count];
            var next = lastETag;
            for (var index = 0; index < writes.Count; index++)
            {
                var write = writes[index];
                var current = pending.TryGetValue(write.Key, out var staged) ? staged : Live(write.Key, now);
                if (!Holds(write.Precondition, current))
                {
                    throw new ETagMismatchException(index);
                }

                if (write.IsDelete)
                {
                    pending[write.Key] = null;
                    continue;
                }

                var etag = ++next;
                pending[write.Key] = new StoredState(write.Value.ToArray(), etag, ExpiresAt(write.Expiry, current, now));
                etags[index] = etag;
            }

            lastETag = next;
            foreach (var (key, entry) in pending)
            {
                if (entry is null)
                {
                    entries.Remove(key);
                }
                else
                {
                    entries[key] = entry;
                }
            }

            return Task.FromResult<IReadOnlyList<long?>>(etags);
        }
    }

    public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            var expired = entries.Where(entry => entry.Value.ExpiresAt <= now).Select(entry => entry.Key).ToList();
            foreach (var key in expired)
            {
                entries.Remove(key);
            }

            return Task.FromResult(expired.Count);
        }
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private StoredState? Live(string key, DateTimeOffset now) =>
        entries.TryGetValue(key, out var entry) && !(entry.ExpiresAt <= now) ? entry : null;

    private static bool Holds(StatePrecondition precondition, StoredState? current) => precondition.Kind switch
    {
        StatePreconditionKind.MustNotExist => current is null,
        StatePreconditionKind.MustMatch => current is not null && current.ETag == precondition.ETag,
        _ => true,
    };

    private static DateTimeOffset? ExpiresAt(StateExpiry expiry, StoredState? current, DateTimeOffset now) => expiry.Kind switch
    {
        StateExpiryKind.After => now.AddSeconds(expiry.Seconds),
        StateExpiryKind.Never => null,
        _ => current?.ExpiresAt,
    };
}
