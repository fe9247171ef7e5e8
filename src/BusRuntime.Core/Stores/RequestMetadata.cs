using BusRuntime.Core.Errors;

namespace BusRuntime.Core.Stores;

/// <summary>
/// The bounds of the metadata a request passes to a component (a file's metadata, a binding's): at most
/// <see cref="MaxEntries"/> entries, keys of printable text up to <see cref="MaxKeyChars"/> characters, values up
/// to <see cref="MaxValueChars"/>.
/// </summary>
public static class RequestMetadata
{
    public const int MaxEntries = 64;
    public const int MaxKeyChars = 256;
    public const int MaxValueChars = 8192;

    /// <summary>Throws INVALID_ARGUMENT naming <paramref name="field"/> and the entry when <paramref name="metadata"/> is out of bounds.</summary>
    public static void EnsureValid(IReadOnlyDictionary<string, string> metadata, string field)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.Count > MaxEntries)
        {
            throw RuntimeException.InvalidArgument($"{field} has {metadata.Count} entries, over the maximum of {MaxEntries}.");
        }

        foreach (var (key, value) in metadata)
        {
            if (key.Length is 0 or > MaxKeyChars || key.Any(char.IsControl))
            {
                throw RuntimeException.InvalidArgument($"{field} key {Quoted.Of(key)} must be 1 to {MaxKeyChars} characters of printable text.");
            }

            if (value.Length > MaxValueChars)
            {
                throw RuntimeException.InvalidArgument($"{field}[{Quoted.Bare(key)}] is {value.Length} characters, over the maximum of {MaxValueChars}.");
            }
        }
    }
}
