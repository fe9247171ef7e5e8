using System.Text;
using BusRuntime.Core.Errors;

namespace BusRuntime.Core.Stores;

/// <summary>
/// The text every store can keep as a key or an owner: valid Unicode without control characters (PostgreSQL's
/// text cannot hold U+0000), at most <see cref="MaxBytes"/> bytes in UTF-8 (an index row holds about 2.7 KB).
/// </summary>
public static class StorableText
{
    public const int MaxBytes = 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Throws INVALID_ARGUMENT naming <paramref name="field"/> when <paramref name="value"/> is empty or cannot be stored.</summary>
    public static void EnsureValid(string value, string field, string emptyHint)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            throw RuntimeException.InvalidArgument($"{field} is empty; {emptyHint}.");
        }

        if (value.Any(char.IsControl))
        {
            throw RuntimeException.InvalidArgument($"{field} contains a control character; use printable text.");
        }

        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            throw RuntimeException.InvalidArgument($"{field} is not valid Unicode (it has a lone surrogate).");
        }

        if (bytes > MaxBytes)
        {
            throw RuntimeException.InvalidArgument($"{field} is {bytes} bytes long in UTF-8, over the maximum of {MaxBytes}.");
        }
    }
}
