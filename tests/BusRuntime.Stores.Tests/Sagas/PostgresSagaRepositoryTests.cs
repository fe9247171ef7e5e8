using BusRuntime.Core.Errors;
using BusRuntime.Stores.Postgres.Sagas;
using BusRuntime.Testing;
using Npgsql;

namespace BusRuntime.Stores.Tests.Sagas;

[Collection(PostgresCollection.Name)]
public sealed class PostgresSagaRepositoryTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Start_NewInstance_InsertsRowAtVersionOneWithItsState()
    {
        var schema = postgres.NewSchema();
        await using var bus = await SagaBus.StartAsync(PostgresServer.ConnectionString, schema);
        var id = Guid.NewGuid();

        await bus.PublishAsync(new Start(id));

        var instance = await WaitForAsync(bus, id, found => found is not null);
        Assert.Equal(1, instance!.Version);
        Assert.Equal("Active", instance.CurrentState);
        Assert.Equal(1, instance.Saga.Starts);
        Assert.Equal(id, instance.Saga.CorrelationId);
        Assert.True(instance.UpdatedAt >= instance.CreatedAt);
        Assert.Equal(1, await postgres.RowCountAsync(schema, "counters"));
    }

    [Fact]
    public async Task Increment_OneAfterAnother_IncrementsVersionAndKeepsTheData()
    {
        var schema = postgres.NewSchema();
        await using var bus = await SagaBus.StartAsync(PostgresServer.ConnectionString, schema);
        var id = Guid.NewGuid();
        await bus.PublishAsync(new Start(id));
        await WaitForAsync(bus, id, found => found is not null);

        for (var i = 1; i <= 3; i++)
        {
            await bus.PublishAsync(new Increment(id));
            var expected = i;
            await WaitForAsync(bus, id, found => found?.Saga.Count == expected);
        }

        var instance = await bus.Instances.GetAsync(id, CancellationToken.None);
        Assert.Equal(4, instance!.Version);
        Assert.Equal(3, instance.Saga.Count);
        Assert.Equal(4, instance.Saga.Version);
        Assert.True(instance.UpdatedAt > instance.CreatedAt);
    }

    [Fact]
    public async Task Increment_ManyAtOnceOnOneInstance_NoUpdateIsLostAndEachCountIsPublishedOnce()
    {
        const int Increments = 40;
        var schema = postgres.NewSchema();
        await using var bus = await SagaBus.StartAsync(PostgresServer.ConnectionString, schema);
        var id = Guid.NewGuid();
        await bus.PublishAsync(new Start(id));
        await WaitForAsync(bus, id, found => found is not null);

        await Task.WhenAll(Enumerable.Range(0, Increments).Select(_ => bus.PublishAsync(new Increment(id))));

        var instance = await WaitForAsync(bus, id, found => found?.Saga.Count == Increments);
        Assert.Equal(Increments + 1, instance!.Version);
        await Poll.UntilAsync(() => bus.Counted(id).Count >= Increments, Timeout, () => $"{bus.Counted(id).Count} of {Increments} counts published");
        // An attempt that lost the race published nothing: every saved count once, no count twice.
        Assert.Equal(Enumerable.Range(1, Increments), bus.Counted(id).Select(counted => counted.Count).Order());
        Assert.True(bus.Probe.IncrementsRun >= Increments);
    }

    [Fact]
    public async Task Increment_InstanceChangedDuringTheAttempt_IsRetriedAndOnlyTheSavedAttemptPublishes()
    {
        var schema = postgres.NewSchema();
        await using var bus = await SagaBus.StartAsync(PostgresServer.ConnectionString, schema);
        var id = Guid.NewGuid();
        await bus.PublishAsync(new Start(id));
        await WaitForAsync(bus, id, found => found is not null);
        bus.Probe.BeforeSave = async (saga, attempt) =>
        {
            if (attempt == 0)
            {
                // Another writer commits a new version between this attempt's read and its save.
                await using var command = postgres.Admin.CreateCommand(
                    $"UPDATE \"{schema}\".counters SET version = version + 1, data = jsonb_set(data, '{{Count}}', '100') WHERE correlation_id = $1");
                command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = saga.CorrelationId });
                Assert.Equal(1, await command.ExecuteNonQueryAsync());
            }
        };

        await bus.PublishAsync(new Increment(id));

        var instance = await WaitForAsync(bus, id, found => found?.Saga.Count == 101);
        Assert.Equal(3, instance!.Version);
        await Poll.UntilAsync(() => bus.Counted(id).Count > 0, Timeout, () => "the saved increment published nothing");
        await bus.Harness.InactivityTask;
        var counted = Assert.Single(bus.Counted(id));
        Assert.Equal(new Counted(id, 101, 1), counted);
        Assert.Equal([0, 1], bus.Probe.Attempts.Order());
    }

    [Fact]
    public async Task Start_ManyAtOnceForOneId_OneInstanceAppliesThemAll()
    {
        const int Starts = 20;
        var schema = postgres.NewSchema();
        await using var bus = await SagaBus.StartAsync(PostgresServer.ConnectionString, schema);
        var id = Guid.NewGuid();

        await Task.WhenAll(Enumerable.Range(0, Starts).Select(_ => bus.PublishAsync(new Start(id))));

        var instance = await WaitForAsync(bus, id, found => found?.Saga.Starts == Starts);
        Assert.Equal(Starts, instance!.Version);
        Assert.Equal(1, await postgres.RowCountAsync(schema, "counters"));
    }

    [Fact]
    public async Task Start_TwoSidecarsAtOnceForOneId_OneInstanceAppliesThemAll()
    {
        const int StartsEach = 10;
        var schema = postgres.NewSchema();
        await using var first = await SagaBus.StartAsync(PostgresServer.ConnectionString, schema);
        await using var second = await SagaBus.StartAsync(PostgresServer.ConnectionString, schema);
        var id = Guid.NewGuid();

        await Task.WhenAll(Enumerable.Range(0, StartsEach).SelectMany(_ => new[] { first.PublishAsync(new Start(id)), second.PublishAsync(new Start(id)) }));

        var instance = await WaitForAsync(first, id, found => found?.Saga.Starts == 2 * StartsEach);
        Assert.Equal(2 * StartsEach, instance!.Version);
        Assert.Equal(1, await postgres.RowCountAsync(schema, "counters"));
    }

    [Fact]
    public async Task Start_ManyAtOnceWithInsertOnInitial_OneInstanceAppliesThemAll()
    {
        const int Starts = 20;
        var schema = postgres.NewSchema();
        await using var bus = await SagaBus.StartAsync(PostgresServer.ConnectionString, schema, insertOnInitial: true);
        var id = Guid.NewGuid();

        await Task.WhenAll(Enumerable.Range(0, Starts).Select(_ => bus.PublishAsync(new Start(id))));

        var instance = await WaitForAsync(bus, id, found => found?.Saga.Starts == Starts);
        // The pre-inserted row is version 1; each Start updates it once, the first one included.
        Assert.Equal(Starts + 1, instance!.Version);
        Assert.Equal("Active", instance.CurrentState);
        Assert.Equal(1, await postgres.RowCountAsync(schema, "counters"));
    }

    [Fact]
    public async Task Finish_FinalizedInstance_IsRemoved()
    {
        var schema = postgres.NewSchema();
        await using var bus = await SagaBus.StartAsync(PostgresServer.ConnectionString, schema);
        var finished = Guid.NewGuid();
        var kept = Guid.NewGuid();
        await bus.PublishAsync(new Start(finished));
        await bus.PublishAsync(new Start(kept));
        await WaitForAsync(bus, finished, found => found is not null);
        await WaitForAsync(bus, kept, found => found is not null);

        await bus.PublishAsync(new Finish(finished));

        await WaitForAsync(bus, finished, found => found is null);
        Assert.NotNull(await bus.Instances.GetAsync(kept, CancellationToken.None));
        Assert.Equal(1, await postgres.RowCountAsync(schema, "counters"));
    }

    [Fact]
    public async Task ListAsync_SeveralInstances_NewestFirstLimitedAndFilteredByState()
    {
        var schema = postgres.NewSchema();
        await using var bus = await SagaBus.StartAsync(PostgresServer.ConnectionString, schema);
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            var id = Guid.NewGuid();
            ids.Add(id);
            await bus.PublishAsync(new Start(id));
            await WaitForAsync(bus, id, found => found is not null);
        }

        await bus.PublishAsync(new Pause(ids[1]));
        await WaitForAsync(bus, ids[1], found => found?.CurrentState == "Stopped");

        var all = await bus.Instances.ListAsync(10, null, CancellationToken.None);
        Assert.Equal([ids[1], ids[3], ids[2], ids[0]], all.Select(instance => instance.CorrelationId));
        var two = await bus.Instances.ListAsync(2, null, CancellationToken.None);
        Assert.Equal([ids[1], ids[3]], two.Select(instance => instance.CorrelationId));
        var active = await bus.Instances.ListAsync(10, "Active", CancellationToken.None);
        Assert.Equal([ids[3], ids[2], ids[0]], active.Select(instance => instance.CorrelationId));
        var stopped = Assert.Single(await bus.Instances.ListAsync(10, "Stopped", CancellationToken.None));
        Assert.Equal(ids[1], stopped.CorrelationId);
        Assert.Empty(await bus.Instances.ListAsync(10, "Final", CancellationToken.None));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task ListAsync_LimitOutOfRange_ThrowsInvalidArgumentNamingLimit(int limit)
    {
        await using var bus = await SagaBus.StartAsync(PostgresServer.ConnectionString, postgres.NewSchema());

        var exception = await Assert.ThrowsAsync<RuntimeException>(() => bus.Instances.ListAsync(limit, null, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, exception.Code);
        Assert.StartsWith("limit ", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_ThroughMassTransitsLoadRepository_ReturnsTheInstanceOrNull()
    {
        var schema = postgres.NewSchema();
        await using var bus = await SagaBus.StartAsync(PostgresServer.ConnectionString, schema);
        var id = Guid.NewGuid();
        await bus.PublishAsync(new Start(id));
        await WaitForAsync(bus, id, found => found is not null);
        await bus.PublishAsync(new Increment(id));
        await WaitForAsync(bus, id, found => found?.Saga.Count == 1);

        var saga = await bus.LoadRepository.Load(id);

        Assert.Equal(1, saga.Count);
        Assert.Equal(2, saga.Version);
        Assert.Equal("Active", saga.CurrentState);
        Assert.Null(await bus.LoadRepository.Load(Guid.NewGuid()));
    }

    private static async Task<PostgresSagaInstance<CounterSaga>?> WaitForAsync(SagaBus bus, Guid id, Func<PostgresSagaInstance<CounterSaga>?, bool> condition)
    {
        PostgresSagaInstance<CounterSaga>? instance = null;
        await Poll.UntilAsync(
            async () => condition(instance = await bus.Instances.GetAsync(id, CancellationToken.None)),
            Timeout,
            () => $"instance {id} is {(instance is null ? "missing" : $"at version {instance.Version}, {instance.CurrentState}, count {instance.Saga.Count}, starts {instance.Saga.Starts}")}; faults: {bus.Faults()}");
        return instance;
    }
}
