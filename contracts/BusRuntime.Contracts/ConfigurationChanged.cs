namespace BusRuntime.Contracts;

/// <summary>
/// Published on the bus after a save or delete in a configuration store has committed: one event per
/// saved or deleted item. Every sidecar receives it on a queue of its own and pushes it to its
/// SubscribeConfiguration streams; consume it with an ordinary MassTransit consumer of
/// <see cref="ConfigurationChanged"/>.
/// </summary>
/// <remarks>
/// Events may arrive out of order when several sidecars write the same item; <see cref="Version"/> orders
/// them: an event whose version is not greater than the last one seen for the item is stale.
/// </remarks>
public sealed record ConfigurationChanged
{
    /// <summary>The configuration component that was written, e.g. "configstore".</summary>
    public required string StoreName { get; init; }

    /// <summary>The app the item belongs to (the request's app_id).</summary>
    public required string AppId { get; init; }

    /// <summary>The item's group ("default" unless the writer named one).</summary>
    public required string Group { get; init; }

    /// <summary>The item's label ("default" unless the writer named one).</summary>
    public required string Label { get; init; }

    /// <summary>The item's key.</summary>
    public required string Key { get; init; }

    /// <summary>The new content; null when the item was deleted.</summary>
    public string? Content { get; init; }

    /// <summary>True when the item was deleted.</summary>
    public bool Deleted { get; init; }

    /// <summary>The item's tags after the change (empty after a delete).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The item's metadata after the change (empty after a delete).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The item's version after the change: every save or delete of an item gives it a greater one.</summary>
    public long Version { get; init; }

    /// <summary>When the sidecar saw the change commit.</summary>
    public DateTimeOffset ChangedAt { get; init; }
}
