using System.Globalization;

namespace BusRuntime.Core.Schedules;

/// <summary>Go's duration text (time.ParseDuration), as Dapr's schedules write it: "1s", "1m30s", "1.5h", "250ms".</summary>
public static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    /// <summary>The duration <paramref name="text"/> says, up to about 29,000 years; false for anything Go would not read.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        duration = TimeSpan.Zero;
        var span = text.AsSpan();
        var negative = false;
        if (span.Length > 0 && span[0] is '+' or '-')
        {
            negative = span[0] == '-';
            span = span[1..];
        }

        if (span is "0")
        {
            return true;
        }

        if (span.IsEmpty || span.Length > 64)
        {
            return false;
        }

        double ticks = 0;
        while (!span.IsEmpty)
        {
            var number = 0;
            while (number < span.Length && (char.IsAsciiDigit(span[number]) || span[number] == '.'))
            {
                number++;
            }

            if (number == 0 || !double.TryParse(span[..number], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            span = span[number..];
            // The longest unit that starts here: "ms" before "m".
            (string Unit, double Ticks) matched = default;
            foreach (var candidate in Units)
            {
                if (span.StartsWith(candidate.Unit, StringComparison.Ordinal) && candidate.Unit.Length > (matched.Unit?.Length ?? 0))
                {
                    matched = candidate;
                }
            }

            if (matched.Unit is null)
            {
                return false;
            }

            ticks += value * matched.Ticks;
            span = span[matched.Unit.Length..];
        }

        if (ticks > TimeSpan.MaxValue.Ticks / 2)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)ticks);
        duration = negative ? -duration : duration;
        return true;
    }
}
