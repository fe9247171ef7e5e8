using System.Globalization;
using System.Text;

namespace BusRuntime.Core.Errors;

/// <summary>
/// Input as error messages quote it: in single quotes, at most <see cref="MaxChars"/> characters of it followed by
/// its length when it is longer, control characters and lone surrogates escaped. Every message that quotes what a
/// caller sent goes through here, so an answer stays small (a 64 KiB name would make gRPC trailers so large that
/// clients stall) and prints on one line.
/// </summary>
public static class Quoted
{
    /// <summary>The most characters of an input a message shows.</summary>
    public const int MaxChars = 64;

    /// <summary><paramref name="value"/> quoted: <c>'orders'</c>, or <c>'aaaa…' (65536 characters)</c> when it is longer than <see cref="MaxChars"/>.</summary>
    public static string Of(string? value) => Shown(value, "'");

    /// <summary>
    /// <paramref name="value"/> shown as <see cref="Of"/> shows it, without the quotes, where a message's wording
    /// is another API's (Dapr's "operation type merge not supported") or the input is part of a field's name.
    /// </summary>
    public static string Bare(string? value) => Shown(value, "");

    private static string Shown(string? value, string quote)
    {
        if (value is null)
        {
            return quote + quote;
        }

        var shown = value.Length <= MaxChars ? value : value[..(char.IsHighSurrogate(value[MaxChars - 1]) ? MaxChars - 1 : MaxChars)];
        var quoted = new StringBuilder(shown.Length + 32).Append(quote);
        for (var index = 0; index < shown.Length; index++)
        {
            var character = shown[index];
            var paired = char.IsHighSurrogate(character) && index + 1 < shown.Length && char.IsLowSurrogate(shown[index + 1]);
            if (paired)
            {
                quoted.Append(character).Append(shown[++index]);
            }
            else if (char.IsControl(character) || char.IsSurrogate(character))
            {
                quoted.Append("\\u").Append(((int)character).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                quoted.Append(character);
            }
        }

        return value.Length <= MaxChars
            ? quoted.Append(quote).ToString()
            : quoted.Append('…').Append(quote).Append(CultureInfo.InvariantCulture, $" ({value.Length} characters)").ToString();
    }
}
