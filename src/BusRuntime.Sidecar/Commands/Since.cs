using System.CommandLine.Parsing;
using System.Globalization;

namespace BusRuntime.Sidecar.Commands;

/// <summary>Reads <c>--since</c>: a duration back from now (90s, 10m, 2h, 7d) or a point in time (2026-11-23T18:00:00Z).</summary>
internal static class Since
{
    public const string Help = "Only messages journaled since then: a duration back from now (90s, 10m, 2h, 7d) or a time (2026-11-23T18:00:00Z).";

    public static DateTimeOffset? Parse(ArgumentResult result, TimeProvider timeProvider)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (text.Length > 1 && char.IsAsciiLetter(text[^1])
            && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            double? seconds = char.ToLowerInvariant(text[^1]) switch
            {
                's' => amount,
                'm' => amount * 60,
                'h' => amount * 3600,
                'd' => amount * 86400,
                _ => null,
            };
            if (seconds is { } back)
            {
                var now = timeProvider.GetUtcNow();
                // Further back than the calendar goes is as good as "since the beginning".
                return back >= (now - DateTimeOffset.MinValue).TotalSeconds ? DateTimeOffset.MinValue : now.AddSeconds(-back);
            }
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        result.AddError($"--since '{text}' is neither a duration (90s, 10m, 2h, 7d) nor a time (2026-11-23T18:00:00Z).");
        return null;
    }
}
