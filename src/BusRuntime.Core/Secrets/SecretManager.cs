using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Stores;

namespace BusRuntime.Core.Secrets;

/// <summary>
/// The secrets primitive: reads secrets from the named store, only those its allow-list names when it has
/// one (metadata allowedSecrets: keys separated by commas). A secret outside the list is PERMISSION_DENIED,
/// as in Dapr's secret scoping; a bulk read leaves it out. Values appear in answers only, never in errors.
/// </summary>
public sealed class SecretManager(NamedStores<ISecretStore> stores, StoreMetrics metrics)
{
    private readonly StoreSettings<ISecretStore, HashSet<string>?> allowed = new(stores, AllowedOf);

    /// <summary>The keys a component's metadata allows, or null when it allows every key.</summary>
    public static HashSet<string>? AllowedOf(ComponentOptions component) =>
        ComponentMetadata.GetString(component, SecretStoreMetadata.AllowedSecrets) is { } list
            ? new HashSet<string>(list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal)
            : null;

    /// <summary>One secret as {key: value}: INVALID_ARGUMENT for an empty key, PERMISSION_DENIED outside the allow-list, NOT_FOUND when missing.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetAsync(string storeName, string key, CancellationToken cancellationToken)
    {
        var store = stores.Get(storeName);
        if (string.IsNullOrEmpty(key))
        {
            throw RuntimeException.InvalidArgument("key is empty; name the secret.");
        }

        if (allowed[store] is { } keys && !keys.Contains(key))
        {
            throw RuntimeException.PermissionDenied(
                $"secret {Quoted.Of(key)} of secret store '{store.Name}' is not in its allow-list ({ComponentMetadata.KeyOf(store.Component, SecretStoreMetadata.AllowedSecrets)}).");
        }

        var value = await metrics.MeasureAsync(store.Name, "get_secret", () => store.Store.GetAsync(key, cancellationToken)).ConfigureAwait(false);
        return value is null
            ? throw RuntimeException.NotFound($"secret {Quoted.Of(key)} is not in secret store '{store.Name}'.")
            : new Dictionary<string, string>(StringComparer.Ordinal) { [key] = value };
    }

    /// <summary>Every secret of the store the allow-list lets the app read.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetBulkAsync(string storeName, CancellationToken cancellationToken)
    {
        var store = stores.Get(storeName);
        var all = await metrics.MeasureAsync(store.Name, "get_bulk_secret", () => store.Store.GetAllAsync(cancellationToken)).ConfigureAwait(false);
        return allowed[store] is { } keys
            ? all.Where(secret => keys.Contains(secret.Key)).ToDictionary(StringComparer.Ordinal)
            : all;
    }
}
