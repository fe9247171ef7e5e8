using BusRuntime.Core.AppConfiguration;
using BusRuntime.Stores.InMemory.AppConfiguration;

namespace BusRuntime.Core.Tests.AppConfiguration;

/// <summary>An in-memory store that says it is shared, standing in for a database other sidecars write too.</summary>
public sealed class SharedInMemoryConfigurationStore : IConfigurationStore
{
    private readonly InMemoryConfigurationStore items = new();

    public bool IsShared => true;

    public Task<IReadOnlyList<StoredConfigurationItem>> GetAsync(
        string appId, string group, string label, IReadOnlyCollection<string> keys, bool includeDeleted, CancellationToken cancellationToken) =>
        items.GetAsync(appId, group, label, keys, includeDeleted, cancellationToken);

    public Task<IReadOnlyList<long>> SaveAsync(string appId, IReadOnlyList<ConfigurationItem> items, CancellationToken cancellationToken) =>
        this.items.SaveAsync(appId, items, cancellationToken);

    public Task<IReadOnlyList<StoredConfigurationItem>> DeleteAsync(
        string appId, string group, string label, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        items.DeleteAsync(appId, group, label, keys, cancellationToken);

    public Task CheckHealthAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
