namespace BusRuntime.Contracts;

/// <summary>
/// Published on the bus after a write to a state store that has <c>publishChanges</c> on has
/// committed: one event per upserted or deleted key. Consume it with an ordinary MassTransit consumer
/// of <see cref="StateChanged"/>.
/// </summary>
public sealed record StateChanged
{
    /// <summary>The state component that was written, e.g. "statestore".</summary>
    public required string StoreName { get; init; }

    /// <summary>The app whose sidecar made the write.</summary>
    public required string AppId { get; init; }

    /// <summary>The key as the app named it (without the store's key prefix).</summary>
    public required string Key { get; init; }

    /// <summary>"upsert" or "delete".</summary>
    public required string Operation { get; init; }

    /// <summary>The entry's new etag after an upsert; null after a delete.</summary>
    public string? ETag { get; init; }

    /// <summary>The new value, only when the store has <c>publishValues</c> on; null otherwise and after a delete.</summary>
    public byte[]? Value { get; init; }

    /// <summary>When the sidecar saw the write commit.</summary>
    public DateTimeOffset ChangedAt { get; init; }

    /// <summary>The <see cref="Operation"/> of an upsert.</summary>
    public const string Upsert = "upsert";

    /// <summary>The <see cref="Operation"/> of a delete.</summary>
    public const string Delete = "delete";
}
