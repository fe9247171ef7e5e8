using System.Globalization;
using BusRuntime.Contracts;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.State.Query;
using BusRuntime.Core.Stores;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.State;

/// <summary>
/// The state primitive: checks what an app asks, scopes its keys, applies the writes to the named store
/// (atomically) and, for stores that publish changes, announces each committed write on the bus.
/// </summary>
public sealed class StateManager(
    NamedStores<IStateStore> stores,
    IBus bus,
    StoreMetrics metrics,
    TimeProvider timeProvider,
    IOptions<RuntimeOptions> options,
    ILogger<StateManager> logger)
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    private readonly StoreSettings<IStateStore, StateChangeEvents> changeEvents = new(stores, StateChangeEvents.For);

    public async Task<StateValue> GetAsync(string storeName, string key, CancellationToken cancellationToken)
    {
        var values = await ReadAsync(storeName, [key], _ => "key", cancellationToken).ConfigureAwait(false);
        return values[0];
    }

    /// <summary>Reads every key; a missing key has an empty value and etag.</summary>
    public Task<IReadOnlyList<StateValue>> GetBulkAsync(string storeName, IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        ReadAsync(storeName, keys, index => $"keys[{index}]", cancellationToken);

    /// <summary>Upserts every item in one transaction.</summary>
    public Task SaveAsync(string storeName, IReadOnlyList<StateChange> items, CancellationToken cancellationToken) =>
        WriteAsync(storeName, items, index => $"states[{index}]", "saved", cancellationToken);

    /// <summary>Deletes one key (the fields of the request itself: key, etag).</summary>
    public Task DeleteAsync(string storeName, StateChange item, CancellationToken cancellationToken) =>
        WriteAsync(storeName, [item], _ => "", "deleted", cancellationToken);

    /// <summary>Deletes every item in one transaction.</summary>
    public Task DeleteBulkAsync(string storeName, IReadOnlyList<StateChange> items, CancellationToken cancellationToken) =>
        WriteAsync(storeName, items, index => $"states[{index}]", "deleted", cancellationToken);

    /// <summary>Applies upserts and deletes in order, atomically.</summary>
    public Task ExecuteTransactionAsync(string storeName, IReadOnlyList<StateChange> operations, CancellationToken cancellationToken) =>
        WriteAsync(storeName, operations, index => $"operations[{index}].request", "applied", cancellationToken);

    /// <summary>
    /// One page of the app's entries that match <paramref name="query"/> (Dapr's state query language, as JSON), with
    /// the app's own keys. The store is found before the query is read, as Dapr does; a store that cannot query is
    /// Unimplemented. A page holds at most BusRuntime:MaxPayloadBytes of values (and always one result).
    /// </summary>
    public async Task<StateQueryResult> QueryAsync(string storeName, string query, CancellationToken cancellationToken)
    {
        var store = stores.Get(storeName);
        if (store.Store is not IQueryableStateStore queryable)
        {
            throw RuntimeException.Unimplemented(
                $"state store {Quoted.Of(store.Name)} does not support querying (its type {Quoted.Of(store.Component.Type)} cannot query); docs/api.md lists the store types that can.");
        }

        var parsed = StateQueryParser.Parse(query);
        var page = await metrics.MeasureAsync(store.Name, "query", () => queryable.QueryAsync(parsed, store.Keys, options.Value.MaxPayloadBytes, cancellationToken)).ConfigureAwait(false);
        return new StateQueryResult(
            [.. page.Items.Select(item => new StateValue(store.Keys.ToAppKey(item.Key), item.Entry.Value, ETags.Format(item.Entry.ETag), NoMetadata))],
            page.NextOffset is { } next ? next.ToString(CultureInfo.InvariantCulture) : "");
    }

    private async Task<IReadOnlyList<StateValue>> ReadAsync(string storeName, IReadOnlyList<string> keys, Func<int, string> fieldOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var store = stores.Get(storeName);
        var storageKeys = keys.Select((key, index) => store.Keys.ToStorageKey(key, fieldOf(index))).ToList();
        var found = await metrics.MeasureAsync(store.Name, "get", () => store.Store.GetAsync(storageKeys, cancellationToken)).ConfigureAwait(false);
        return [.. keys.Select((key, index) => found.TryGetValue(storageKeys[index], out var entry)
            ? new StateValue(key, entry.Value, ETags.Format(entry.ETag), StateMetadata.Describe(entry))
            : new StateValue(key, ReadOnlyMemory<byte>.Empty, "", NoMetadata))];
    }

    private async Task WriteAsync(string storeName, IReadOnlyList<StateChange> changes, Func<int, string> fieldOf, string verb, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var store = stores.Get(storeName);
        if (changes.Count == 0)
        {
            return;
        }

        var writes = changes.Select((change, index) => ToWrite(store.Keys, change, fieldOf(index))).ToList();
        IReadOnlyList<long?> etags;
        try
        {
            etags = await metrics.MeasureAsync(store.Name, "write", () => store.Store.ApplyAsync(writes, cancellationToken)).ConfigureAwait(false);
        }
        catch (ETagMismatchException mismatch)
        {
            throw Mismatch(changes[mismatch.WriteIndex], writes[mismatch.WriteIndex], fieldOf(mismatch.WriteIndex), verb);
        }

        var events = changeEvents[store];
        if (events.Publish)
        {
            await PublishChangesAsync(store.Name, changes, etags, events.IncludeValues, cancellationToken).ConfigureAwait(false);
        }
    }

    private StateWrite ToWrite(KeyScope keys, StateChange change, string field)
    {
        var key = keys.ToStorageKey(change.Key, Field(field, "key"));
        if (change.IsDelete)
        {
            if (change.ETag is null && change.Concurrency == StateConcurrency.FirstWrite)
            {
                throw RuntimeException.InvalidArgument($"{(field.Length == 0 ? "the request" : field)} is a FIRST_WRITE delete without an etag; pass the etag of the entry to delete.");
            }

            return StateWrite.Delete(key, ETags.PreconditionOf(change.ETag, change.Concurrency, Field(field, "etag")));
        }

        var limit = options.Value.MaxPayloadBytes;
        if (change.Value.Length > limit)
        {
            throw RuntimeException.InvalidArgument($"{Field(field, "value")} is {change.Value.Length} bytes, over the maximum of {limit} bytes (BusRuntime:MaxPayloadBytes).");
        }

        return StateWrite.Upsert(
            key,
            change.Value,
            ETags.PreconditionOf(change.ETag, change.Concurrency, Field(field, "etag")),
            StateMetadata.ExpiryOf(change.Metadata, Field(field, "metadata")));
    }

    /// <summary>The name of a field of a request item: "states[1].key", or "key" for the request itself.</summary>
    private static string Field(string item, string name) => item.Length == 0 ? name : $"{item}.{name}";

    private static RuntimeException Mismatch(StateChange change, StateWrite write, string field, string verb)
    {
        var reason = write.Precondition.Kind == StatePreconditionKind.MustMatch
            ? $"its etag is not {Quoted.Of(change.ETag)}: the entry was changed or deleted since that etag was read"
            : change.ETag is null
                ? "it already exists and FIRST_WRITE without an etag only creates"
                : "it already exists and an empty etag means the key must not exist";
        var what = change.IsDelete ? "deleted" : "written";
        return RuntimeException.Aborted($"{(field.Length == 0 ? "" : field + ": ")}key {Quoted.Of(change.Key)} was not {what}, {reason}; nothing was {verb}.");
    }

    /// <summary>
    /// Publishes after the commit, bounded by PublishTimeout and by the caller's deadline: the write stands
    /// whatever happens here, so an event the broker did not confirm is logged and counted, not retried.
    /// </summary>
    private async Task PublishChangesAsync(
        string storeName, IReadOnlyList<StateChange> changes, IReadOnlyList<long?> etags, bool includeValues, CancellationToken cancellationToken)
    {
        var appId = options.Value.AppId;
        var changedAt = timeProvider.GetUtcNow();
        using var publishTimeout = new CancellationTokenSource(options.Value.PublishTimeout, timeProvider);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(publishTimeout.Token, cancellationToken);
        // One after the other: observers see the writes of one call in the order they were applied.
        for (var index = 0; index < changes.Count; index++)
        {
            var change = changes[index];
            var message = new StateChanged
            {
                StoreName = storeName,
                AppId = appId,
                Key = change.Key,
                Operation = change.IsDelete ? StateChanged.Delete : StateChanged.Upsert,
                ETag = etags[index] is { } etag ? ETags.Format(etag) : null,
                Value = includeValues && !change.IsDelete ? change.Value.ToArray() : null,
                ChangedAt = changedAt,
            };
            try
            {
                await bus.Publish(message, timeout.Token).ConfigureAwait(false);
                metrics.ChangeEventPublished(storeName, true);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                metrics.ChangeEventPublished(storeName, false);
                Log.ChangeEventNotPublished(logger, storeName, change.Key, exception);
            }
        }
    }
}
