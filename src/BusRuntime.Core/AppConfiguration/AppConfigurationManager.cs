using System.Text;
using BusRuntime.Contracts;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Stores;
using BusRuntime.Core.Transport;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.AppConfiguration;

/// <summary>
/// The configuration primitive: checks what an app asks, reads and writes the named configuration store
/// and, after each committed save or delete, publishes a <see cref="ConfigurationChanged"/> event per item,
/// which every sidecar pushes to its <see cref="ConfigurationWatch"/>es. The sidecar acts for its own app: an
/// empty app id is its app's, it writes its app's items only, and reads another app's only where the store's
/// <see cref="ConfigurationReadScopes"/> grant it.
/// </summary>
public sealed class AppConfigurationManager(
    NamedStores<IConfigurationStore> stores,
    ConfigurationSubscriptions subscriptions,
    IBus bus,
    StoreMetrics metrics,
    TimeProvider timeProvider,
    IOptions<RuntimeOptions> options,
    ILogger<AppConfigurationManager> logger)
{
    /// <summary>The group of an item saved without one.</summary>
    public const string DefaultGroup = "default";

    /// <summary>The label of an item saved without one.</summary>
    public const string DefaultLabel = "default";

    private readonly string ownAppId = options.Value.AppId;

    // Read at construction (start-up), so that malformed grants stop the sidecar naming their key.
    private readonly StoreSettings<IConfigurationStore, ConfigurationReadScopes> readScopes = new(stores, component => ConfigurationReadScopes.For(component, options.Value.AppId));

    /// <summary>
    /// The items of one app (the sidecar's own when <paramref name="appId"/> is empty), group and label with the given keys
    /// (all when none), whose tags include every pair of <paramref name="tags"/>.
    /// </summary>
    public async Task<IReadOnlyList<StoredConfigurationItem>> GetAsync(
        string storeName, string appId, string group, string label, IReadOnlyList<string> keys, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var store = stores.Get(storeName);
        var readable = Readable(store, appId);
        var (checkedGroup, checkedLabel) = Scope(group, label, keys);
        var items = await metrics.MeasureAsync(
            store.Name, "get_configuration", () => store.Store.GetAsync(readable, checkedGroup, checkedLabel, keys, false, cancellationToken)).ConfigureAwait(false);
        return tags.Count == 0 ? items : [.. items.Where(item => tags.All(tag => item.Tags.TryGetValue(tag.Key, out var value) && value == tag.Value))];
    }

    /// <summary>Saves every item of the sidecar's app in one transaction, then publishes a change event for each.</summary>
    public async Task SaveAsync(string storeName, string appId, IReadOnlyList<ConfigurationItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var store = stores.Get(storeName);
        appId = Writable(appId);
        if (items.Count == 0)
        {
            return;
        }

        var writes = items.Select((item, index) => Checked(item, $"items[{index}]")).ToList();
        var versions = await metrics.MeasureAsync(store.Name, "save_configuration", () => store.Store.SaveAsync(appId, writes, cancellationToken)).ConfigureAwait(false);
        await PublishChangesAsync(
            store.Name,
            appId,
            [.. writes.Select((write, index) => new StoredConfigurationItem(write.Group, write.Label, write.Key, write.Content, write.Tags, write.Metadata, versions[index]))])
            .ConfigureAwait(false);
    }

    /// <summary>Deletes the keys of the sidecar's app that exist in one transaction, then publishes a change event for each.</summary>
    public async Task DeleteAsync(string storeName, string appId, string group, string label, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var store = stores.Get(storeName);
        appId = Writable(appId);
        var (checkedGroup, checkedLabel) = Scope(group, label, keys);
        if (keys.Count == 0)
        {
            throw RuntimeException.InvalidArgument("keys is empty; name the keys to delete.");
        }

        var deleted = await metrics.MeasureAsync(
            store.Name, "delete_configuration", () => store.Store.DeleteAsync(appId, checkedGroup, checkedLabel, keys, cancellationToken)).ConfigureAwait(false);
        await PublishChangesAsync(store.Name, appId, deleted).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts following a subscription's items: the watch's first update is every current item, then each
    /// change follows. Dispose the watch to stop. An empty app id follows the sidecar's own app.
    /// </summary>
    public Task<ConfigurationWatch> SubscribeAsync(ConfigurationSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var store = stores.Get(subscription.StoreName);
        var appId = Readable(store, subscription.AppId);
        var (group, label) = Scope(subscription.Group, subscription.Label, subscription.Keys);
        return subscriptions.AddAsync(store, subscription with { AppId = appId, Group = group, Label = label }, cancellationToken);
    }

    private static (string Group, string Label) Scope(string group, string label, IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var scope = (GroupOrDefault(group, "group"), LabelOrDefault(label, "label"));
        for (var index = 0; index < keys.Count; index++)
        {
            StorableText.EnsureValid(keys[index], $"keys[{index}]", "name the key");
        }

        return scope;
    }

    /// <summary>The app id a call names, the sidecar's own when it names none.</summary>
    private string AppIdOrOwn(string appId)
    {
        if (string.IsNullOrEmpty(appId))
        {
            return ownAppId;
        }

        return Names.IsValidAppId(appId)
            ? appId
            : throw RuntimeException.InvalidArgument($"app_id {Quoted.Of(appId)} must match {Names.AppIdPattern} (letters, digits, '-' and '_', at most 48 characters).");
    }

    private string Writable(string appId)
    {
        var named = AppIdOrOwn(appId);
        return named == ownAppId
            ? named
            : throw RuntimeException.PermissionDenied(
                $"app_id {Quoted.Of(named)} is another app's: the sidecar of app '{ownAppId}' writes only its own configuration (leave app_id empty, or set it to '{ownAppId}').");
    }

    private string Readable(NamedStore<IConfigurationStore> store, string appId)
    {
        var named = AppIdOrOwn(appId);
        return named == ownAppId || readScopes[store].Allows(named)
            ? named
            : throw RuntimeException.PermissionDenied(
                $"app_id {Quoted.Of(named)} is another app's: the sidecar of app '{ownAppId}' reads another app's configuration only where its store grants it, and configuration store '{store.Name}' does not "
                + $"({ComponentMetadata.KeyOf(store.Component, ConfigurationReadScopes.MetadataKey)}, e.g. '{ownAppId}={named}').");
    }

    private static string GroupOrDefault(string group, string field) => OrDefault(group, DefaultGroup, field);

    private static string LabelOrDefault(string label, string field) => OrDefault(label, DefaultLabel, field);

    private static string OrDefault(string value, string defaultValue, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            return defaultValue;
        }

        StorableText.EnsureValid(value, field, "name it or leave it out");
        return value;
    }

    private ConfigurationItem Checked(ConfigurationItem item, string field)
    {
        StorableText.EnsureValid(item.Key, $"{field}.key", "name the key");
        var limit = options.Value.MaxPayloadBytes;
        var bytes = Encoding.UTF8.GetByteCount(item.Content);
        if (bytes > limit)
        {
            throw RuntimeException.InvalidArgument($"{field}.content is {bytes} bytes, over the maximum of {limit} bytes (BusRuntime:MaxPayloadBytes).");
        }

        EnsureNoNul(item.Content, $"{field}.content");
        BusMetadata.EnsureNamed(item.Tags, $"{field}.tags");
        BusMetadata.EnsureNamed(item.Metadata, $"{field}.metadata");
        foreach (var (name, value) in item.Tags)
        {
            EnsureNoNul(name + value, $"{field}.tags");
        }

        foreach (var (name, value) in item.Metadata)
        {
            EnsureNoNul(name + value, $"{field}.metadata");
        }

        return item with { Group = GroupOrDefault(item.Group, $"{field}.group"), Label = LabelOrDefault(item.Label, $"{field}.label") };
    }

    // PostgreSQL's text and jsonb cannot hold U+0000; every store refuses it alike.
    private static void EnsureNoNul(string text, string field)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw RuntimeException.InvalidArgument($"{field} contains the character U+0000, which a configuration store cannot keep.");
        }
    }

    private async Task PublishChangesAsync(string storeName, string appId, IReadOnlyList<StoredConfigurationItem> changes)
    {
        var changedAt = timeProvider.GetUtcNow();
        using var timeout = new CancellationTokenSource(options.Value.PublishTimeout, timeProvider);
        foreach (var change in changes)
        {
            var message = new ConfigurationChanged
            {
                StoreName = storeName,
                AppId = appId,
                Group = change.Group,
                Label = change.Label,
                Key = change.Key,
                Content = change.Content,
                Deleted = change.IsDeleted,
                Tags = change.Tags,
                Metadata = change.Metadata,
                Version = change.Version,
                ChangedAt = changedAt,
            };
            try
            {
                // After the commit: the change stands even if the broker does not confirm the event. Unlike
                // StateChanged this is not cut short by the caller's deadline: a sidecar that misses the
                // event gets the change only when it next reads the store (its bus reconnecting).
                await bus.Publish(message, timeout.Token).ConfigureAwait(false);
                metrics.ConfigurationChangeEventPublished(storeName, true);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                metrics.ConfigurationChangeEventPublished(storeName, false);
                Log.ChangeEventNotPublished(logger, storeName, appId, change.Group, change.Label, change.Key, exception);
            }
        }
    }
}
