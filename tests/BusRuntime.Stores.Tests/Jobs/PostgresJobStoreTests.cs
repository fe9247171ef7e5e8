using System.Collections.Concurrent;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BusRuntime.Stores.Tests.Jobs;

[Collection(PostgresCollection.Name)]
public sealed class PostgresJobStoreTests(PostgresFixture postgres) : JobStoreBehaviour, IAsyncLifetime
{
    private readonly PostgresSidecar sidecar = postgres.StartSidecar();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await sidecar.DisposeAsync();

    protected override IJobStore CreateStore() => sidecar.Jobs();

    [Fact]
    public async Task RunDue_TwoSidecarsOfTheAppOnOneDatabase_EveryTickDeliveredOnce()
    {
        await using var replica = postgres.StartSidecar(sidecar.Schema);
        var time = new FakeTimeProvider(Now);
        var delivered = new ConcurrentQueue<string>();
        var runners = new[] { Runner(sidecar.Jobs(), time, delivered), Runner(replica.Jobs(), time, delivered) };
        var scheduler = new JobScheduler(sidecar.Jobs(), Options.Create(new RuntimeOptions { AppId = "orders" }), Options.Create(new JobOptions()), time, new JobWakeup());
        for (var i = 0; i < 20; i++)
        {
            await scheduler.ScheduleAsync(new Job($"job-{i}", "@every 1s", 3, null, null, null, null), false, CancellationToken.None);
        }

        for (var second = 0; second < 5; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAll(runners.SelectMany(runner => Enumerable.Range(0, 3).Select(_ => runner.RunDueAsync(CancellationToken.None))));
        }

        Assert.Equal(60, delivered.Count);
        Assert.All(delivered.GroupBy(name => name), ticks => Assert.Equal(3, ticks.Count()));
        Assert.Empty(await sidecar.Jobs().ListAsync("orders", 100, CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_AnotherSidecarsJob_SharedThroughTheDatabase()
    {
        await using var replica = postgres.StartSidecar(sidecar.Schema);

        await Store.PutAsync(Due("shared", Now), false, 10, CancellationToken.None);

        Assert.NotNull(await replica.Jobs().GetAsync("orders", "shared", CancellationToken.None));
    }

    private static JobRunner Runner(IJobStore store, TimeProvider time, ConcurrentQueue<string> delivered) => new(
        store,
        new RecordingDelivery(delivered),
        Options.Create(new RuntimeOptions { AppId = "orders" }),
        Options.Create(new AppChannelOptions { AppPort = 1 }),
        Options.Create(new JobOptions()),
        time,
        new JobWakeup(),
        NullLogger<JobRunner>.Instance);

    private sealed class RecordingDelivery(ConcurrentQueue<string> delivered) : IJobDelivery
    {
        public async Task<bool> DeliverAsync(string name, DateTimeOffset tick, JobData? data, CancellationToken cancellationToken)
        {
            delivered.Enqueue(name);
            await Task.Yield();
            return true;
        }
    }
}
