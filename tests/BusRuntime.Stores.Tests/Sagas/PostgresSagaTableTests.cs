using BusRuntime.Core.Errors;
using BusRuntime.Stores.Postgres.Sagas;
using BusRuntime.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BusRuntime.Stores.Tests.Sagas;

/// <summary>The saga table's creation and the registration's checks, without a running bus.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSagaTableTests(PostgresFixture postgres)
{
    [Fact]
    public async Task FirstUse_SeveralRepositoriesAtOnce_CreateTheTableAndIndexesOnce()
    {
        var schema = postgres.NewSchema();
        var providers = Enumerable.Range(0, 4).Select(_ => Repository(PostgresServer.ConnectionString, schema)).ToList();
        try
        {
            var lists = await Task.WhenAll(providers.Select(provider => Instances(provider).ListAsync(10, null, CancellationToken.None)));

            Assert.All(lists, Assert.Empty);
            // counters, counters_pkey, counters_updated_at, counters_current_state; schema_migrations and its key.
            Assert.Equal(6, await postgres.RelationCountAsync(schema));
        }
        finally
        {
            foreach (var provider in providers)
            {
                await provider.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task FirstUse_TableExistsWithRows_KeepsThem()
    {
        var schema = postgres.NewSchema();
        var id = Guid.NewGuid();
        await using (var bus = await SagaBus.StartAsync(PostgresServer.ConnectionString, schema))
        {
            await bus.PublishAsync(new Start(id));
            await Poll.UntilAsync(async () => await bus.Instances.GetAsync(id, CancellationToken.None) is not null, TimeSpan.FromSeconds(60), () => "the instance was not saved");
        }

        await using var provider = Repository(PostgresServer.ConnectionString, schema);

        var instance = await Instances(provider).GetAsync(id, CancellationToken.None);

        Assert.Equal(1, instance?.Version);
        Assert.Equal(6, await postgres.RelationCountAsync(schema));
    }

    [Fact]
    public async Task GetAsync_RowNotReadableAsTheSaga_ThrowsInternalNamingTheRow()
    {
        var schema = postgres.NewSchema();
        await using var provider = Repository(PostgresServer.ConnectionString, schema);
        Assert.Empty(await Instances(provider).ListAsync(1, null, CancellationToken.None));
        var id = Guid.NewGuid();
        await using (var command = postgres.Admin.CreateCommand(
            $"INSERT INTO \"{schema}\".counters VALUES ($1, 1, 'Active', '{{\"Count\": \"many\"}}', now(), now())"))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            await command.ExecuteNonQueryAsync();
        }

        var exception = await Assert.ThrowsAsync<RuntimeException>(() => Instances(provider).GetAsync(id, CancellationToken.None));

        Assert.Equal(ErrorCode.Internal, exception.Code);
        Assert.StartsWith($"Saga table {schema}.counters: the row of {id} cannot be read as a CounterSaga: ", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Counters")]
    [InlineData("counters-1")]
    [InlineData("")]
    [InlineData("a_table_name_that_is_much_too_long_for_its_index_names")]
    public void PostgresRepository_BadTable_ThrowsNamingTable(string table)
    {
        var services = new ServiceCollection();

        var exception = Assert.Throws<InvalidOperationException>(() => services.AddMassTransit(x =>
            x.AddSagaStateMachine<CounterStateMachine, CounterSaga>().PostgresRepository(PostgresServer.ConnectionString, options => options.Table = table)));

        Assert.Contains($"Table '{table}' must match", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgresRepository_BadSchema_ThrowsNamingSchema()
    {
        var services = new ServiceCollection();

        var exception = Assert.Throws<InvalidOperationException>(() => services.AddMassTransit(x =>
            x.AddSagaStateMachine<CounterStateMachine, CounterSaga>().PostgresRepository(PostgresServer.ConnectionString, options => options.Schema = "Bus Runtime")));

        Assert.Contains("Schema 'Bus Runtime' must match", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Host=db;NoSuchKeyword=1;Password=s3cret")]
    public void PostgresRepository_BadConnectionString_ThrowsWithoutThePassword(string connectionString)
    {
        var services = new ServiceCollection();

        var exception = Assert.Throws<InvalidOperationException>(() => services.AddMassTransit(x =>
            x.AddSagaStateMachine<CounterStateMachine, CounterSaga>().PostgresRepository(connectionString)));

        Assert.Contains("saga repository of CounterSaga", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Defaults_NameTheTableAfterTheSagaAndReadItsCurrentState()
    {
        var options = new PostgresSagaRepositoryOptions<CounterSaga>();

        Assert.Equal("saga_counter_saga", options.Table);
        Assert.Equal("busruntime", options.Schema);
        Assert.Equal("Paused", options.CurrentState(new CounterSaga { CurrentState = "Paused" }));
    }

    private static ServiceProvider Repository(string connectionString, string schema)
    {
        var services = new ServiceCollection();
        services.AddSingleton<CounterProbe>();
        services.AddMassTransit(x => x.AddSagaStateMachine<CounterStateMachine, CounterSaga>()
            .PostgresRepository(connectionString, options =>
            {
                options.Schema = schema;
                options.Table = "counters";
            }));
        return services.BuildServiceProvider();
    }

    private static PostgresSagaInstances<CounterSaga> Instances(IServiceProvider provider) =>
        provider.GetRequiredService<PostgresSagaInstances<CounterSaga>>();
}
