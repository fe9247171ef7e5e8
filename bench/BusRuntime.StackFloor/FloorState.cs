using System.Collections.Concurrent;
using Google.Protobuf;

namespace BusRuntime.StackFloor;

/// <summary>The floor's state store: each key's value and a version, in memory, for as long as the process runs.</summary>
public sealed class FloorState
{
    public ConcurrentDictionary<string, (ByteString Value, long Version)> Entries { get; } = new(StringComparer.Ordinal);
}
