using System.Text.Json;
using Marten.Schema;

namespace BusRuntime.Stores.Postgres.State;

/// <summary>
/// One state entry as a Marten document, in the component's tenant: the storage key (already scoped to the
/// app) is its id. A value that is JSON is kept as JSON, so the database can filter on it, and as its text,
/// since jsonb normalises (key order, white space) and a read returns exactly what was saved; any other
/// value is kept as bytes. Public, with setters, because Marten builds and reads it.
/// </summary>
public sealed class StateDocument
{
    public string Id { get; set; } = "";

    /// <summary>The value when it is JSON PostgreSQL can hold (jsonb: no NUL in strings); null otherwise.</summary>
    public JsonElement? Json { get; set; }

    /// <summary>The value exactly as saved when it is such JSON; null otherwise.</summary>
    public string? Text { get; set; }

    /// <summary>The value when it is not such JSON; null otherwise.</summary>
    public byte[]? Bytes { get; set; }

    /// <summary>When the entry stops being visible; null for never.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Marten's numeric revision, which is the entry's etag.</summary>
    [Version]
    public long Version { get; set; }
}
