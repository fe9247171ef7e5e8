using System.Text;
using BusRuntime.Core.Errors;

namespace BusRuntime.Core.Metadata;

/// <summary>
/// The attributes an app attaches to its sidecar (Dapr's SetMetadata and PUT /v1.0/metadata/{key}) and
/// reads back in the sidecar's metadata. They live as long as the sidecar process, as in Dapr, so their number
/// and size are bounded: at most <see cref="MaxAttributes"/>, keys of at most <see cref="MaxKeyChars"/> characters,
/// values of at most <see cref="MaxValueBytes"/> bytes (about 0.5 MB in all, well within a GetMetadata answer).
/// </summary>
public sealed class ExtendedMetadata
{
    public const int MaxAttributes = 64;
    public const int MaxKeyChars = 256;
    public const int MaxValueBytes = 8 * 1024;

    private readonly Dictionary<string, string> attributes = new(StringComparer.Ordinal);

    /// <summary>Sets <paramref name="key"/>; an empty or long key, a long value or one attribute too many is INVALID_ARGUMENT naming the limit.</summary>
    public void Set(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (string.IsNullOrEmpty(key))
        {
            throw RuntimeException.InvalidArgument("key is empty; name the metadata attribute to set.");
        }

        if (key.Length > MaxKeyChars)
        {
            throw RuntimeException.InvalidArgument($"key {Quoted.Of(key)} is over the maximum of {MaxKeyChars} characters for a metadata attribute's key.");
        }

        var bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes > MaxValueBytes)
        {
            throw RuntimeException.InvalidArgument($"the value of metadata attribute {Quoted.Of(key)} is {bytes} bytes, over the maximum of {MaxValueBytes} bytes.");
        }

        lock (attributes)
        {
            if (attributes.Count >= MaxAttributes && !attributes.ContainsKey(key))
            {
                throw RuntimeException.InvalidArgument(
                    $"the sidecar already keeps {MaxAttributes} metadata attributes, the maximum; {Quoted.Of(key)} would be one more. Set one of them again instead.");
            }

            attributes[key] = value;
        }
    }

    /// <summary>Every attribute, sorted by key.</summary>
    public IReadOnlyDictionary<string, string> List()
    {
        lock (attributes)
        {
            return new SortedDictionary<string, string>(attributes, StringComparer.Ordinal);
        }
    }
}
