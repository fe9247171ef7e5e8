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
            TimeSpan? back = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (back is { } duration)
            {
                return timeProvider.GetUtcNow() - duration;
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
