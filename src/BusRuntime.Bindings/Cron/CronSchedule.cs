using BusRuntime.Core.Bindings;
using BusRuntime.Core.Configuration;
using Cronos;

namespace BusRuntime.Bindings.Cron;

/// <summary>
/// A bindings.cron schedule, read as Dapr's (robfig/cron with optional seconds): 5 fields (minute first) or 6 (second
/// first), a descriptor (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly), or <c>@every</c> and a Go
/// duration, rounded down to whole seconds and at least 1 s as robfig's. Unlike robfig's, an @every schedule counts from
/// the Unix epoch rather than from the sidecar's start, so that every replica of an app agrees on its ticks.
/// </summary>
public sealed class CronSchedule
{
    private static readonly TimeSpan MaxEvery = TimeSpan.FromDays(366);

    private readonly TimeSpan every;
    private readonly CronExpression? expression;
    private readonly TimeZoneInfo zone;

    private CronSchedule(TimeSpan every, CronExpression? expression, TimeZoneInfo zone)
    {
        this.every = every;
        this.expression = expression;
        this.zone = zone;
    }

    /// <summary>The time zone cron fields are read in: the sidecar's, as robfig's.</summary>
    public TimeZoneInfo Zone => zone;

    /// <summary>The component's schedule; a missing or bad one throws naming the component and the key.</summary>
    public static CronSchedule For(ComponentOptions component, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(zone);
        var key = ComponentMetadata.KeyOf(component, BindingMetadata.Schedule);
        var text = ComponentMetadata.GetString(component, BindingMetadata.Schedule)?.Trim()
            ?? throw new InvalidOperationException($"{key} is not set; a bindings.cron component needs a schedule, such as '@every 15s' or '0 30 * * * *'.");
        if (text.Length > 256)
        {
            throw new InvalidOperationException($"{key} is {text.Length} characters long; a schedule is at most 256.");
        }

        if (text == "@every" || text.StartsWith("@every ", StringComparison.Ordinal))
        {
            var duration = text["@every".Length..].Trim();
            if (!GoDuration.TryParse(duration, out var every) || every < TimeSpan.Zero || every > MaxEvery)
            {
                throw new InvalidOperationException($"{key} '{text}': '{duration}' is not a Go duration between 1s and {MaxEvery.TotalHours:0}h, such as 15s, 1m30s or 2h.");
            }

            var seconds = Math.Max(1, (long)every.TotalSeconds);
            return new CronSchedule(TimeSpan.FromSeconds(seconds), null, zone);
        }

        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        CronExpression expression;
        try
        {
            expression = text.StartsWith('@') || fields == 5
                ? CronExpression.Parse(text, CronFormat.Standard)
                : fields == 6
                    ? CronExpression.Parse(text, CronFormat.IncludeSeconds)
                    : throw new InvalidOperationException($"{key} '{text}' has {fields} fields; a cron schedule has 5 (minute hour day-of-month month day-of-week) or 6 (seconds first).");
        }
        catch (CronFormatException exception)
        {
            throw new InvalidOperationException($"{key} '{text}' is not a cron schedule: {exception.Message}", exception);
        }

        return new CronSchedule(TimeSpan.Zero, expression, zone);
    }

    /// <summary>The first tick strictly after <paramref name="after"/>, or null when the schedule never fires again (such as 30 February).</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        if (expression is not null)
        {
            return expression.GetNextOccurrence(after, zone);
        }

        var ticks = every.Ticks;
        var epoch = after.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + ((epoch / ticks) + 1) * ticks, TimeSpan.Zero);
    }
}
