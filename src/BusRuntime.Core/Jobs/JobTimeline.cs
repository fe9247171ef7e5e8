using System.Globalization;
using System.Xml;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Schedules;

namespace BusRuntime.Core.Jobs;

/// <summary>
/// When a job fires, read as Dapr's scheduler reads it: <c>schedule</c> as bindings.cron's (<see cref="CronSchedule"/>,
/// in UTC), <c>dueTime</c> and <c>ttl</c> as a point in time (RFC 3339), a Go duration or an ISO 8601 duration (both
/// counted from when the job was scheduled). The first tick is the due time, else the schedule's first after the job was
/// scheduled; later ticks follow the schedule (an @every schedule counts from the first tick), until <c>repeats</c> ticks
/// were delivered or the next would come after the ttl.
/// </summary>
public sealed class JobTimeline
{
    /// <summary>The longest due time or ttl text read.</summary>
    public const int MaxTextLength = 64;

    private readonly CronSchedule? schedule;
    private readonly DateTimeOffset? expiresAt;
    private readonly uint? repeats;
    private readonly DateTimeOffset first;

    private JobTimeline(CronSchedule? schedule, DateTimeOffset first, DateTimeOffset? expiresAt, uint? repeats)
    {
        this.schedule = schedule;
        this.first = first;
        this.expiresAt = expiresAt;
        this.repeats = repeats;
    }

    /// <summary>The first tick.</summary>
    public DateTimeOffset First => first;

    /// <summary>When the job ends however many ticks are left, if it has a ttl.</summary>
    public DateTimeOffset? ExpiresAt => expiresAt;

    /// <summary>The timeline of <paramref name="job"/> scheduled at <paramref name="createdAt"/>; a text that is not valid throws INVALID_ARGUMENT naming the field.</summary>
    public static JobTimeline Of(Job job, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Schedule is null && job.DueTime is null)
        {
            throw RuntimeException.InvalidArgument($"job {Quoted.Of(job.Name)} has neither a schedule nor a due time; set one of them (such as schedule '@every 1m' or dueTime '10s').");
        }

        if (job.Repeats == 0)
        {
            throw RuntimeException.InvalidArgument($"job {Quoted.Of(job.Name)}: repeats is 0; a job fires at least once (leave repeats out to fire until the ttl).");
        }

        CronSchedule? schedule = null;
        if (job.Schedule is { } text && !CronSchedule.TryParse(text.Trim(), TimeZoneInfo.Utc, out schedule, out var problem))
        {
            throw RuntimeException.InvalidArgument($"job {Quoted.Of(job.Name)}: schedule {problem}");
        }

        var dueAt = job.DueTime is null ? (DateTimeOffset?)null : PointInTime(job.Name, "dueTime", job.DueTime, createdAt);
        var first = dueAt ?? schedule!.Next(createdAt, createdAt)
            ?? throw RuntimeException.InvalidArgument($"job {Quoted.Of(job.Name)}: schedule {Quoted.Of(job.Schedule)} never fires.");
        var expiresAt = job.Ttl is null ? (DateTimeOffset?)null : PointInTime(job.Name, "ttl", job.Ttl, createdAt);
        if (expiresAt < first)
        {
            throw RuntimeException.InvalidArgument($"job {Quoted.Of(job.Name)}: ttl {Quoted.Of(job.Ttl)} ends before the first tick at {first:O}.");
        }

        return new JobTimeline(schedule, first, expiresAt, job.Repeats);
    }

    /// <summary>The tick after <paramref name="tick"/>, the <paramref name="fired"/>th delivered, or null when the job is done.</summary>
    public DateTimeOffset? After(DateTimeOffset tick, int fired)
    {
        if (schedule is null || (repeats is { } most && fired >= most))
        {
            return null;
        }

        var next = schedule.Next(tick, first);
        return next is { } due && (expiresAt is null || due <= expiresAt) ? due : null;
    }

    /// <summary>Whether the job's ttl has passed at <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset now) => expiresAt < now;

    private static DateTimeOffset PointInTime(string name, string field, string text, DateTimeOffset createdAt)
    {
        var trimmed = text.Trim();
        if (trimmed.Length is > 0 and <= MaxTextLength)
        {
            if (GoDuration.TryParse(trimmed, out var after))
            {
                return createdAt + after;
            }

            if (trimmed[0] is 'P' or 'p' && IsoDuration(trimmed) is { } period)
            {
                return createdAt + period;
            }

            if (trimmed.Contains('T', StringComparison.OrdinalIgnoreCase)
                && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            {
                return at;
            }
        }

        throw RuntimeException.InvalidArgument(
            $"job {Quoted.Of(name)}: {field} {Quoted.Of(text)} is not a point in time (RFC 3339, such as 2026-12-07T15:00:00Z), a Go duration (such as 10s or 1h30m) or an ISO 8601 duration (such as PT10S), of at most {MaxTextLength} characters.");
    }

    private static TimeSpan? IsoDuration(string text)
    {
        try
        {
            return XmlConvert.ToTimeSpan(text.ToUpperInvariant());
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}
