using System.Collections.Concurrent;

namespace BusRuntime.Grpc.Dapr;

/// <summary>The attributes apps set with Dapr's SetMetadata: kept in memory for the sidecar's lifetime, returned by GetMetadata.</summary>
public sealed class ExtendedMetadata
{
    private readonly ConcurrentDictionary<string, string> values = new(StringComparer.Ordinal);

    public void Set(string key, string value) => values[key] = value;

    public IReadOnlyDictionary<string, string> Snapshot() => new Dictionary<string, string>(values, StringComparer.Ordinal);
}
