using Google.Protobuf.Collections;

namespace BusRuntime.Grpc;

internal static class MapFields
{
    /// <summary>Copies every entry into a protobuf map, a later entry winning over an earlier one with its key.</summary>
    public static void AddAll(this MapField<string, string> target, IEnumerable<KeyValuePair<string, string>> entries)
    {
        foreach (var (key, value) in entries)
        {
            target[key] = value;
        }
    }
}
