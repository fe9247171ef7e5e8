using System.Text.Json;
using BusRuntime.Core.State;
using BusRuntime.Core.State.Query;
using BusRuntime.Core.Stores;

namespace BusRuntime.Stores.InMemory.State;

/// <summary>
/// State in this process's memory, lost when it stops. One lock makes every batch of writes atomic;
/// etags come from one counter, so an etag is never reused, not even after a delete. A query reads every entry of
/// the scope and evaluates it here.
/// </summary>
public sealed class InMemoryStateStore(TimeProvider timeProvider) : IQueryableStateStore
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

    public Task<StateQueryPage> QueryAsync(StateQuery query, KeyScope scope, long maxPageBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(scope);
        var now = timeProvider.GetUtcNow();
        List<(string Key, StoredState Entry)> candidates;
        lock (gate)
        {
            candidates = [.. entries.Where(entry => scope.Owns(entry.Key) && !(entry.Value.ExpiresAt <= now)).Select(entry => (entry.Key, entry.Value))];
        }

        // Parsed outside the lock: entries are immutable once stored.
        var matches = new List<(string Key, StoredState Entry, JsonElement?[] SortValues)>();
        foreach (var (key, entry) in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (JsonQueryEvaluation.Parse(entry.Value) is { } json && JsonQueryEvaluation.Matches(json, query.Filter))
            {
                matches.Add((key, entry, [.. query.Sort.Select(sort => JsonQueryEvaluation.Find(json, sort.Key))]));
            }
        }

        matches.Sort((left, right) => CompareResults(query.Sort, left.SortValues, left.Key, right.SortValues, right.Key));
        var page = new List<StateQueryItem>();
        long bytes = 0;
        var index = query.Offset;
        for (; index < matches.Count && page.Count < query.Limit; index++)
        {
            var entry = matches[index].Entry;
            if (page.Count > 0 && bytes + entry.Value.Length > maxPageBytes)
            {
                break;
            }

            bytes += entry.Value.Length;
            page.Add(new StateQueryItem(matches[index].Key, entry));
        }

        return Task.FromResult(new StateQueryPage(page, index < matches.Count ? index : null));
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private StoredState? Live(string key, DateTimeOffset now) =>
        entries.TryGetValue(key, out var entry) && !(entry.ExpiresAt <= now) ? entry : null;

    private static int CompareResults(IReadOnlyList<QuerySort> sort, JsonElement?[] left, string leftKey, JsonElement?[] right, string rightKey)
    {
        for (var index = 0; index < sort.Count; index++)
        {
            // Absent values come last whichever the direction, so only present ones turn around.
            var order = JsonQueryEvaluation.Compare(left[index], right[index]);
            if (order != 0)
            {
                return sort[index].Descending && left[index] is not null && right[index] is not null ? -order : order;
            }
        }

        return string.CompareOrdinal(leftKey, rightKey);
    }

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
