using System.Collections.Concurrent;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Jobs;
using BusRuntime.Stores.InMemory.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BusRuntime.Core.Tests.Jobs;

/// <summary>The due-job loop: ticks delivered once each, failures handled as the job's failure policy says.</summary>
public sealed class JobRunnerTests
{
    private readonly InMemoryJobStore store = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task RunDue_EveryOneSecondRepeatsTwo_TwoTicksThenTheJobIsGone()
    {
        var app = new RecordingApp();
        var runner = Runner(app);
        await Scheduler().ScheduleAsync(new Job("tick", "@every 1s", 2, null, null, null, null), false, CancellationToken.None);

        Assert.Equal(0, await runner.RunDueAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await runner.RunDueAsync(CancellationToken.None));
        Assert.Equal(0, await runner.RunDueAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await runner.RunDueAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await runner.RunDueAsync(CancellationToken.None));

        Assert.Equal(["tick", "tick"], app.Delivered);
        Assert.Null(await store.GetAsync("orders", "tick", CancellationToken.None));
    }

    [Fact]
    public async Task RunDue_AppFailsEveryTime_FirstTryAndDaprsThreeRetriesASecondApartThenDropped()
    {
        var app = new RecordingApp { Takes = false };
        var runner = Runner(app);
        await Scheduler().ScheduleAsync(new Job("once", null, null, "0s", null, null, null), false, CancellationToken.None);

        for (var i = 0; i < 6; i++)
        {
            await runner.RunDueAsync(CancellationToken.None);
            time.Advance(TimeSpan.FromMilliseconds(500));
            await runner.RunDueAsync(CancellationToken.None);
            time.Advance(TimeSpan.FromMilliseconds(500));
        }

        Assert.Equal(4, app.Delivered.Count);
        Assert.Null(await store.GetAsync("orders", "once", CancellationToken.None));
    }

    [Fact]
    public async Task RunDue_DropPolicy_FailedTickNotTriedAgain()
    {
        var app = new RecordingApp { Takes = false };
        var runner = Runner(app);
        var job = new Job("hourly", "@every 1h", null, null, null, null, new JobFailurePolicy(true, TimeSpan.Zero, null));
        await Scheduler().ScheduleAsync(job, false, CancellationToken.None);

        time.Advance(TimeSpan.FromHours(1));
        await runner.RunDueAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        await runner.RunDueAsync(CancellationToken.None);

        Assert.Single(app.Delivered);
        var stored = await store.GetAsync("orders", "hourly", CancellationToken.None);
        Assert.Equal(time.GetUtcNow().AddMinutes(59), stored!.DueAt);
    }

    [Fact]
    public async Task RunDue_ConstantPolicyRecovers_TheTickIsDeliveredOnItsRetry()
    {
        var app = new RecordingApp { Takes = false };
        var runner = Runner(app);
        var job = new Job("once", null, null, "0s", null, null, new JobFailurePolicy(false, TimeSpan.FromSeconds(10), 5));
        await Scheduler().ScheduleAsync(job, false, CancellationToken.None);

        await runner.RunDueAsync(CancellationToken.None);
        app.Takes = true;
        time.Advance(TimeSpan.FromSeconds(9));
        await runner.RunDueAsync(CancellationToken.None);
        Assert.Single(app.Delivered);
        time.Advance(TimeSpan.FromSeconds(1));
        await runner.RunDueAsync(CancellationToken.None);

        Assert.Equal(2, app.Delivered.Count);
        Assert.Null(await store.GetAsync("orders", "once", CancellationToken.None));
    }

    [Fact]
    public async Task RunDue_TwoReplicasOfTheApp_EachTickDeliveredByOne()
    {
        var first = new RecordingApp();
        var second = new RecordingApp();
        var runners = new[] { Runner(first), Runner(second) };
        await Scheduler().ScheduleAsync(new Job("tick", "@every 1s", 10, null, null, null, null), false, CancellationToken.None);

        for (var i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAll(runners.Select(runner => runner.RunDueAsync(CancellationToken.None)));
        }

        Assert.Equal(10, first.Delivered.Count + second.Delivered.Count);
    }

    [Fact]
    public async Task RunDue_AnotherAppsDueJob_NotClaimed()
    {
        var app = new RecordingApp();
        await Scheduler("billing").ScheduleAsync(new Job("once", null, null, "0s", null, null, null), false, CancellationToken.None);

        await Runner(app).RunDueAsync(CancellationToken.None);

        Assert.Empty(app.Delivered);
        Assert.NotNull(await store.GetAsync("billing", "once", CancellationToken.None));
    }

    [Fact]
    public async Task RunDue_JobScheduledAnewDuringItsDelivery_TheNewJobStays()
    {
        var scheduler = Scheduler();
        var app = new RecordingApp();
        app.OnDeliver = () => scheduler.ScheduleAsync(new Job("once", null, null, "1h", null, null, null), overwrite: true, CancellationToken.None);
        await scheduler.ScheduleAsync(new Job("once", null, null, "0s", null, null, null), false, CancellationToken.None);

        await Runner(app).RunDueAsync(CancellationToken.None);

        Assert.Equal("1h", (await scheduler.GetAsync("once", CancellationToken.None)).DueTime);
    }

    [Fact]
    public async Task RunDue_StoredScheduleNoLongerReadable_DeletedWithoutADelivery()
    {
        var app = new RecordingApp();
        var now = time.GetUtcNow();
        await store.PutAsync(new StoredJob("orders", new Job("odd", "@every never", null, null, null, null, null), now, now, now, 0, 0, Guid.NewGuid()), false, 10, CancellationToken.None);

        await Runner(app).RunDueAsync(CancellationToken.None);

        Assert.Empty(app.Delivered);
        Assert.Null(await store.GetAsync("orders", "odd", CancellationToken.None));
    }

    private JobScheduler Scheduler(string appId = "orders") => new(
        store, Options.Create(new RuntimeOptions { AppId = appId }), Options.Create(new JobOptions()), time, new JobWakeup());

    private JobRunner Runner(IJobDelivery app) => new(
        store,
        app,
        Options.Create(new RuntimeOptions { AppId = "orders" }),
        Options.Create(new AppChannelOptions { AppPort = 1 }),
        Options.Create(new JobOptions()),
        time,
        new JobWakeup(),
        NullLogger<JobRunner>.Instance);

    private sealed class RecordingApp : IJobDelivery
    {
        private readonly ConcurrentQueue<string> delivered = new();

        public bool Takes { get; set; } = true;

        public Func<Task>? OnDeliver { get; set; }

        public IReadOnlyCollection<string> Delivered => delivered;

        public async Task<bool> DeliverAsync(string name, DateTimeOffset tick, JobData? data, CancellationToken cancellationToken)
        {
            delivered.Enqueue(name);
            if (OnDeliver is { } onDeliver)
            {
                await onDeliver();
            }

            return Takes;
        }
    }
}
