using BusRuntime.Core.AppConfiguration;

namespace BusRuntime.Stores.InMemory.AppConfiguration;

/// <summary>
/// Configuration items in this process's memory, lost when it stops, and seen by this sidecar alone. One
/// lock makes every save and delete atomic; versions come from one counter.
/// </summary>
public sealed class InMemoryConfigurationStore : IConfigurationStore
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    private readonly Lock gate = new();
    private readonly Dictionary<(string AppId, string Group, string Label), SortedDictionary<string, StoredConfigurationItem>> items = [];
    private long lastVersion;

    public bool IsShared => false;

    public Task<IReadOnlyList<StoredConfigurationItem>> GetAsync(
        string appId, string group, string label, IReadOnlyCollection<string> keys, bool includeDeleted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var wanted = new HashSet<string>(keys, StringComparer.Ordinal);
        lock (gate)
        {
            IReadOnlyList<StoredConfigurationItem> found = items.TryGetValue((appId, group, label), out var scope)
                ? [.. scope.Values.Where(item => (wanted.Count == 0 || wanted.Contains(item.Key)) && (includeDeleted || !item.IsDeleted))]
                : [];
            return Task.FromResult(found);
        }
    }

    public Task<IReadOnlyList<long>> SaveAsync(string appId, IReadOnlyList<ConfigurationItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        lock (gate)
        {
            var versions = new long[items.Count];
            for (var index = 0; index < items.Count; index++)
            {
                var item = items[index];
                versions[index] = ++lastVersion;
                Scope(appId, item.Group, item.Label)[item.Key] = new StoredConfigurationItem(
                    item.Group, item.Label, item.Key, item.Content, Copy(item.Tags), Copy(item.Metadata), versions[index]);
            }

            return Task.FromResult<IReadOnlyList<long>>(versions);
        }
    }

    public Task<IReadOnlyList<StoredConfigurationItem>> DeleteAsync(
        string appId, string group, string label, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        lock (gate)
        {
            var scope = Scope(appId, group, label);
            var deleted = new List<StoredConfigurationItem>();
            foreach (var key in keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                if (scope.TryGetValue(key, out var item) && !item.IsDeleted)
                {
                    var tombstone = new StoredConfigurationItem(group, label, key, null, Empty, Empty, ++lastVersion);
                    scope[key] = tombstone;
                    deleted.Add(tombstone);
                }
            }

            return Task.FromResult<IReadOnlyList<StoredConfigurationItem>>(deleted);
        }
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private SortedDictionary<string, StoredConfigurationItem> Scope(string appId, string group, string label)
    {
        if (!items.TryGetValue((appId, group, label), out var scope))
        {
            scope = new SortedDictionary<string, StoredConfigurationItem>(StringComparer.Ordinal);
            items[(appId, group, label)] = scope;
        }

        return scope;
    }

    private static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string> values) => new(values, StringComparer.Ordinal);
}
