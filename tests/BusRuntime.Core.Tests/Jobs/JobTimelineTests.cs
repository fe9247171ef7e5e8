using System.Globalization;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Jobs;

namespace BusRuntime.Core.Tests.Jobs;

/// <summary>When a job fires, read as Dapr's scheduler reads schedule, dueTime, repeats and ttl.</summary>
public sealed class JobTimelineTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 7, 12, 0, 0, 300, TimeSpan.Zero);

    [Fact]
    public void Of_EveryWithRepeats_TicksFromCreationUntilTheRepeatsAreDone()
    {
        var timeline = JobTimeline.Of(Job(schedule: "@every 2s", repeats: 2), Created);

        Assert.Equal(Created.AddSeconds(2), timeline.First);
        Assert.Equal(Created.AddSeconds(4), timeline.After(timeline.First, 1));
        Assert.Null(timeline.After(Created.AddSeconds(4), 2));
    }

    [Theory]
    [InlineData("10s", "2026-12-07T12:00:10.3Z")]
    [InlineData("1h30m", "2026-12-07T13:30:00.3Z")]
    [InlineData("PT10S", "2026-12-07T12:00:10.3Z")]
    [InlineData("P1DT1H", "2026-12-08T13:00:00.3Z")]
    [InlineData("2026-12-24T18:00:00Z", "2026-12-24T18:00:00Z")]
    [InlineData("2026-12-24T19:00:00+01:00", "2026-12-24T18:00:00Z")]
    public void Of_DueTimeOnly_FiresOnceThen(string dueTime, string expected)
    {
        var timeline = JobTimeline.Of(Job(dueTime: dueTime), Created);

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), timeline.First);
        Assert.Null(timeline.After(timeline.First, 1));
    }

    [Fact]
    public void Of_DueTimeAndEvery_FirstAtTheDueTimeThenEveryIntervalFromIt()
    {
        var timeline = JobTimeline.Of(Job(schedule: "@every 1m", dueTime: "30s"), Created);

        Assert.Equal(Created.AddSeconds(30), timeline.First);
        Assert.Equal(Created.AddSeconds(90), timeline.After(timeline.First, 1));
    }

    [Theory]
    [InlineData("*/10 * * * * *", "2026-12-07T12:00:10Z")]
    [InlineData("0 30 * * * *", "2026-12-07T12:30:00Z")]
    [InlineData("@daily", "2026-12-08T00:00:00Z")]
    [InlineData("@hourly", "2026-12-07T13:00:00Z")]
    public void Of_CronSchedules_FirstTickInUtc(string schedule, string expected)
    {
        var timeline = JobTimeline.Of(Job(schedule: schedule), Created);

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), timeline.First);
    }

    [Fact]
    public void After_NextTickPastTheTtl_Null()
    {
        var timeline = JobTimeline.Of(Job(schedule: "@every 10s", ttl: "25s"), Created);

        Assert.Equal(Created.AddSeconds(20), timeline.After(Created.AddSeconds(10), 1));
        Assert.Null(timeline.After(Created.AddSeconds(20), 2));
        Assert.True(timeline.IsExpired(Created.AddSeconds(26)));
        Assert.False(timeline.IsExpired(Created.AddSeconds(24)));
    }

    [Theory]
    [InlineData(null, null, null, null, "neither a schedule nor a due time")]
    [InlineData("@every soon", null, null, null, "schedule '@every soon'")]
    [InlineData("61 * * * * *", null, null, null, "is not a cron schedule")]
    [InlineData("* * *", null, null, null, "has 3 fields")]
    [InlineData(null, "tomorrow", null, null, "dueTime 'tomorrow' is not a point in time")]
    [InlineData(null, "2026-13-01T00:00:00Z", null, null, "dueTime '2026-13-01T00:00:00Z'")]
    [InlineData(null, "10s", "5s", null, "ttl '5s' ends before the first tick")]
    [InlineData(null, "10s", "forever", null, "ttl 'forever' is not a point in time")]
    [InlineData("@every 1s", null, null, 0u, "repeats is 0")]
    public void Of_NotValid_InvalidArgumentNamingTheField(string? schedule, string? dueTime, string? ttl, uint? repeats, string expected)
    {
        var error = Assert.Throws<RuntimeException>(() => JobTimeline.Of(Job(schedule, repeats, dueTime, ttl), Created));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Contains("job 'nightly'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static Job Job(string? schedule = null, uint? repeats = null, string? dueTime = null, string? ttl = null) =>
        new("nightly", schedule, repeats, dueTime, ttl, null, null);
}
