using System.Diagnostics.CodeAnalysis;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using Cronos;

namespace BusRuntime.Core.Schedules;

/// <summary>
/// A schedule of bindings.cron or of a job, read as Dapr's (robfig/cron with optional seconds): 5 fields (minute first) or 6 (second
/// first), a descriptor (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly), or <c>@every</c> and a Go
/// duration, rounded down to whole seconds and at least 1 s as robfig's. Unlike robfig's, an @every schedule counts from
/// the Unix epoch rather than from the sidecar's start, so that every replica of an app agrees on its ticks.
/// </summary>
public sealed class CronSchedule
{
    /// <summary>The longest schedule text read.</summary>
    public const int MaxLength = 256;

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
        return TryParse(text, zone, out var schedule, out var problem)
            ? schedule
            : throw new InvalidOperationException($"{key} {problem}");
    }

    /// <summary>
    /// Reads <paramref name="text"/> (trimmed); when it is not a schedule, <paramref name="problem"/> says why, starting with
    /// the text quoted, so that the caller only puts the field's name before it.
    /// </summary>
    public static bool TryParse(string text, TimeZoneInfo zone, [NotNullWhen(true)] out CronSchedule? schedule, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(zone);
        schedule = null;
        if (text.Length > MaxLength)
        {
            problem = $"is {text.Length} characters long; a schedule is at most {MaxLength}.";
            return false;
        }

        if (text == "@every" || text.StartsWith("@every ", StringComparison.Ordinal))
        {
            var duration = text["@every".Length..].Trim();
            if (!GoDuration.TryParse(duration, out var every) || every < TimeSpan.Zero || every > MaxEvery)
            {
                problem = $"{Quoted.Of(text)}: {Quoted.Of(duration)} is not a Go duration between 1s and {MaxEvery.TotalHours:0}h, such as 15s, 1m30s or 2h.";
                return false;
            }

            schedule = new CronSchedule(TimeSpan.FromSeconds(Math.Max(1, (long)every.TotalSeconds)), null, zone);
            problem = null;
            return true;
        }

        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (!text.StartsWith('@') && fields is not (5 or 6))
        {
            problem = $"{Quoted.Of(text)} has {fields} fields; a cron schedule has 5 (minute hour day-of-month month day-of-week) or 6 (seconds first).";
            return false;
        }

        try
        {
            var expression = text.StartsWith('@') || fields == 5
                ? CronExpression.Parse(text, CronFormat.Standard)
                : CronExpression.Parse(text, CronFormat.IncludeSeconds);
            schedule = new CronSchedule(TimeSpan.Zero, expression, zone);
            problem = null;
            return true;
        }
        catch (CronFormatException exception)
        {
            problem = $"{Quoted.Of(text)} is not a cron schedule: {exception.Message}";
            return false;
        }
    }

    /// <summary>The first tick strictly after <paramref name="after"/>, or null when the schedule never fires again (such as 30 February).</summary>
    public DateTimeOffset? Next(DateTimeOffset after) => Next(after, DateTimeOffset.UnixEpoch);

    /// <summary>
    /// The first tick strictly after <paramref name="after"/>, an @every schedule counting from <paramref name="origin"/>
    /// (a job's: when it was scheduled or its due time), or null when the schedule never fires again.
    /// </summary>
    public DateTimeOffset? Next(DateTimeOffset after, DateTimeOffset origin)
    {
        if (expression is not null)
        {
            return expression.GetNextOccurrence(after, zone);
        }

        var ticks = every.Ticks;
        if (after < origin)
        {
            return origin + every;
        }

        var elapsed = after.UtcTicks - origin.UtcTicks;
        return new DateTimeOffset(origin.UtcTicks + ((elapsed / ticks) + 1) * ticks, TimeSpan.Zero);
    }
}
