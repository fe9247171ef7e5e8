using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Jobs;
using BusRuntime.Stores.InMemory.Jobs;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BusRuntime.Core.Tests.Jobs;

/// <summary>The jobs API's rules: what is kept, what is refused and whose jobs an app sees.</summary>
public sealed class JobSchedulerTests
{
    private readonly InMemoryJobStore store = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Schedule_ThenGet_AnswersTheJobAsTheAppWroteIt()
    {
        var scheduler = Scheduler("orders");
        var job = new Job("nightly", "0 0 3 * * *", 5, "10s", "P30D", new JobData("type.googleapis.com/google.protobuf.StringValue", new byte[] { 10, 1, 65 }), new JobFailurePolicy(false, TimeSpan.FromSeconds(5), 2));

        await scheduler.ScheduleAsync(job, overwrite: false, CancellationToken.None);
        var read = await scheduler.GetAsync("nightly", CancellationToken.None);

        Assert.Equal((job.Name, job.Schedule, job.Repeats, job.DueTime, job.Ttl, job.FailurePolicy), (read.Name, read.Schedule, read.Repeats, read.DueTime, read.Ttl, read.FailurePolicy));
        Assert.Equal(job.Data!.Value.ToArray(), read.Data!.Value.ToArray());
    }

    [Fact]
    public async Task Schedule_ExistingNameWithoutOverwrite_AlreadyExistsAndTheFirstStays()
    {
        var scheduler = Scheduler("orders");
        await scheduler.ScheduleAsync(Every("a", "@every 1m"), overwrite: false, CancellationToken.None);

        var error = await Assert.ThrowsAsync<RuntimeException>(() => scheduler.ScheduleAsync(Every("a", "@every 2m"), overwrite: false, CancellationToken.None));
        Assert.Equal(ErrorCode.AlreadyExists, error.Code);
        Assert.Equal("@every 1m", (await scheduler.GetAsync("a", CancellationToken.None)).Schedule);

        await scheduler.ScheduleAsync(Every("a", "@every 2m"), overwrite: true, CancellationToken.None);
        Assert.Equal("@every 2m", (await scheduler.GetAsync("a", CancellationToken.None)).Schedule);
    }

    [Fact]
    public async Task Schedule_BeyondMaxJobsPerApp_ResourceExhaustedWhileAnotherAppStillSchedules()
    {
        var scheduler = Scheduler("orders", maxJobs: 2);
        await scheduler.ScheduleAsync(Every("a", "@every 1m"), false, CancellationToken.None);
        await scheduler.ScheduleAsync(Every("b", "@every 1m"), false, CancellationToken.None);

        var error = await Assert.ThrowsAsync<RuntimeException>(() => scheduler.ScheduleAsync(Every("c", "@every 1m"), false, CancellationToken.None));

        Assert.Equal(ErrorCode.ResourceExhausted, error.Code);
        Assert.Contains("BusRuntime:Jobs:MaxJobsPerApp", error.Message, StringComparison.Ordinal);
        await Scheduler("billing", maxJobs: 2).ScheduleAsync(Every("c", "@every 1m"), false, CancellationToken.None);
        await scheduler.ScheduleAsync(Every("a", "@every 5m"), overwrite: true, CancellationToken.None);
    }

    [Fact]
    public async Task GetListDelete_AnotherAppsJobs_NeitherSeenNorTouched()
    {
        await Scheduler("billing").ScheduleAsync(Every("nightly", "@every 1m"), false, CancellationToken.None);
        var orders = Scheduler("orders");

        var error = await Assert.ThrowsAsync<RuntimeException>(() => orders.GetAsync("nightly", CancellationToken.None));
        await orders.DeleteAsync("nightly", CancellationToken.None);
        await orders.DeleteByPrefixAsync("", CancellationToken.None);

        Assert.Equal(ErrorCode.NotFound, error.Code);
        Assert.Empty(await orders.ListAsync(CancellationToken.None));
        Assert.Equal("nightly", Assert.Single(await Scheduler("billing").ListAsync(CancellationToken.None)).Name);
    }

    [Fact]
    public async Task DeleteByPrefix_DeletesTheJobsWhoseNamesStartWithIt()
    {
        var scheduler = Scheduler("orders");
        foreach (var name in new[] { "report-a", "report-b", "cleanup" })
        {
            await scheduler.ScheduleAsync(Every(name, "@every 1m"), false, CancellationToken.None);
        }

        var deleted = await scheduler.DeleteByPrefixAsync("report-", CancellationToken.None);

        Assert.Equal(2, deleted);
        Assert.Equal("cleanup", Assert.Single(await scheduler.ListAsync(CancellationToken.None)).Name);
    }

    [Theory]
    [InlineData("", "name is empty")]
    [InlineData("a/b", "is not a job name")]
    [InlineData("a b", "is not a job name")]
    public async Task Schedule_BadName_InvalidArgument(string name, string expected)
    {
        var error = await Assert.ThrowsAsync<RuntimeException>(() => Scheduler("orders").ScheduleAsync(Every(name, "@every 1m"), false, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_NameTooLong_InvalidArgumentQuotingItShort()
    {
        var error = await Assert.ThrowsAsync<RuntimeException>(() => Scheduler("orders").ScheduleAsync(Every(new string('a', 257), "@every 1m"), false, CancellationToken.None));

        Assert.Contains("is 257 characters long", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 300, error.Message);
    }

    [Fact]
    public async Task Schedule_DataOverMaxPayloadBytes_InvalidArgument()
    {
        var job = Every("big", "@every 1m") with { Data = new JobData(JobData.JsonValueTypeUrl, new byte[1025]) };

        var error = await Assert.ThrowsAsync<RuntimeException>(() => Scheduler("orders").ScheduleAsync(job, false, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Contains("1025 bytes", error.Message, StringComparison.Ordinal);
    }

    private JobScheduler Scheduler(string appId, int maxJobs = 100) => new(
        store,
        Options.Create(new RuntimeOptions { AppId = appId, MaxPayloadBytes = 1024 }),
        Options.Create(new JobOptions { MaxJobsPerApp = maxJobs }),
        time,
        new JobWakeup());

    private static Job Every(string name, string schedule) => new(name, schedule, null, null, null, null, null);
}
