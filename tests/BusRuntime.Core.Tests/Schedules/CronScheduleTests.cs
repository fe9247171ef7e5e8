using BusRuntime.Core.Configuration;
using BusRuntime.Core.Schedules;

namespace BusRuntime.Core.Tests.Schedules;

/// <summary>bindings.cron's schedules, read as Dapr's robfig/cron reads them.</summary>
public sealed class CronScheduleTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("@every 1s", "2026-12-07T12:00:01Z")]
    [InlineData("@every 15s", "2026-12-07T12:00:15Z")]
    [InlineData("@every 1m30s", "2026-12-07T12:01:30Z")]
    [InlineData("@every 250ms", "2026-12-07T12:00:01Z")]
    [InlineData("@every 1.5h", "2026-12-07T13:30:00Z")]
    [InlineData("*/10 * * * * *", "2026-12-07T12:00:10Z")]
    [InlineData("0 30 * * * *", "2026-12-07T12:30:00Z")]
    [InlineData("5 * * * *", "2026-12-07T12:05:00Z")]
    [InlineData("@hourly", "2026-12-07T13:00:00Z")]
    [InlineData("@daily", "2026-12-08T00:00:00Z")]
    public void Next_DaprsScheduleForms_FirstTickAfter(string schedule, string expected)
    {
        var parsed = CronSchedule.For(Component(schedule), TimeZoneInfo.Utc);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), parsed.Next(Noon));
    }

    [Fact]
    public void Next_Every_CountsFromTheEpochSoReplicasAgree()
    {
        var schedule = CronSchedule.For(Component("@every 7s"), TimeZoneInfo.Utc);

        var next = schedule.Next(Noon.AddMilliseconds(1234))!.Value;

        Assert.Equal(0, next.ToUnixTimeSeconds() % 7);
        Assert.Equal(next, schedule.Next(Noon.AddMilliseconds(4321)));
    }

    [Theory]
    [InlineData("", "is not set")]
    [InlineData("@every soon", "'soon' is not a Go duration")]
    [InlineData("@every -1s", "is not a Go duration")]
    [InlineData("@every", "is not a Go duration")]
    [InlineData("* * *", "has 3 fields")]
    [InlineData("61 * * * * *", "is not a cron schedule")]
    [InlineData("@fortnightly", "is not a cron schedule")]
    public void For_BadSchedule_ThrowsNamingTheComponentAndField(string schedule, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => CronSchedule.For(Component(schedule), TimeZoneInfo.Utc));

        Assert.StartsWith("BusRuntime:Components[ticker]:Metadata:schedule", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1s", 1000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h2m3s4ms", 3_723_004)]
    [InlineData("1.5s", 1500)]
    [InlineData("-2ms", -2)]
    [InlineData("1000us", 1)]
    public void TryParse_GoDurations_Read(string text, long milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(milliseconds, (long)duration.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("s")]
    [InlineData("1d")]
    [InlineData("1s2")]
    [InlineData("..s")]
    public void TryParse_NotGo_False(string text) => Assert.False(GoDuration.TryParse(text, out _));

    private static ComponentOptions Component(string schedule) => new()
    {
        Name = "ticker",
        Type = ComponentTypes.BindingsCron,
        Metadata = new(StringComparer.OrdinalIgnoreCase) { ["schedule"] = schedule },
    };
}
