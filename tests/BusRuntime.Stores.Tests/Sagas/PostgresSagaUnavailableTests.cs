using BusRuntime.Core.Errors;
using BusRuntime.Testing;
using MassTransit;
using Npgsql;

namespace BusRuntime.Stores.Tests.Sagas;

/// <summary>PostgreSQL cut off (through a proxy; the shared server keeps running): a message is retried, then faults; it is never acknowledged as done.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSagaUnavailableTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Increment_DatabaseUnreachable_FaultsUnavailableAndChangesAndPublishesNothing()
    {
        var schema = postgres.NewSchema();
        await using var proxy = TcpProxy.Start(PostgresServer.Port);
        await using var bus = await SagaBus.StartAsync(PostgresServer.ConnectionStringVia(proxy.Port), schema, retryLimit: 2);
        var id = Guid.NewGuid();
        await bus.PublishAsync(new Start(id));
        await Poll.UntilAsync(async () => await RowAsync(schema, id) is not null, Timeout, () => "the instance was not saved");

        proxy.Cut();
        await bus.PublishAsync(new Increment(id));

        await Poll.UntilAsync(() => bus.Harness.Published.Select<Fault<Increment>>().Any(), Timeout, () => "the increment did not fault");
        Assert.Contains("BusRuntime.Core.Errors.RuntimeException: PostgreSQL is unreachable for saga table " + schema + ".counters", bus.Faults(), StringComparison.Ordinal);
        Assert.Equal((1, 0), await RowAsync(schema, id));
        Assert.Empty(bus.Counted(id));
        Assert.Equal(0, bus.Probe.IncrementsRun);

        proxy.Restore();
        await bus.PublishAsync(new Increment(id));

        await Poll.UntilAsync(async () => await RowAsync(schema, id) == (2, 1), Timeout, () => "the increment after the restore was not saved");
        await Poll.UntilAsync(() => bus.Counted(id).Count == 1, Timeout, () => "the increment after the restore published nothing");
    }

    [Fact]
    public async Task Increment_DatabaseLostAfterThePublishBeforeTheSave_PublishesAndSavesNothing()
    {
        var schema = postgres.NewSchema();
        await using var proxy = TcpProxy.Start(PostgresServer.Port);
        await using var bus = await SagaBus.StartAsync(PostgresServer.ConnectionStringVia(proxy.Port), schema, retryLimit: 2);
        var id = Guid.NewGuid();
        await bus.PublishAsync(new Start(id));
        await Poll.UntilAsync(async () => await RowAsync(schema, id) is not null, Timeout, () => "the instance was not saved");
        // The state machine has read the instance and is about to publish Counted; the save comes after.
        bus.Probe.BeforeSave = (_, _) =>
        {
            proxy.Cut();
            return Task.CompletedTask;
        };

        await bus.PublishAsync(new Increment(id));

        await Poll.UntilAsync(() => bus.Harness.Published.Select<Fault<Increment>>().Any(), Timeout, () => "the increment did not fault");
        Assert.Equal(1, bus.Probe.IncrementsRun);
        Assert.Contains("PostgreSQL is unreachable for saga table", bus.Faults(), StringComparison.Ordinal);
        Assert.Empty(bus.Counted(id));
        Assert.Equal((1, 0), await RowAsync(schema, id));
    }

    [Fact]
    public async Task Get_DatabaseUnreachable_ThrowsUnavailableNamingTheTable()
    {
        var schema = postgres.NewSchema();
        await using var proxy = TcpProxy.Start(PostgresServer.Port);
        await using var bus = await SagaBus.StartAsync(PostgresServer.ConnectionStringVia(proxy.Port), schema);
        Assert.Empty(await bus.Instances.ListAsync(1, null, CancellationToken.None));

        proxy.Cut();

        var exception = await Assert.ThrowsAsync<RuntimeException>(() => bus.Instances.GetAsync(Guid.NewGuid(), CancellationToken.None));
        Assert.Equal(ErrorCode.Unavailable, exception.Code);
        Assert.StartsWith($"PostgreSQL is unreachable for saga table {schema}.counters: ", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", exception.Message, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The version and count of the instance, read on a connection that does not go through the proxy.</summary>
    private async Task<(int Version, int Count)?> RowAsync(string schema, Guid id)
    {
        await using var command = postgres.Admin.CreateCommand($"SELECT version, (data->>'Count')::int FROM \"{schema}\".counters WHERE correlation_id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            return await reader.ReadAsync() ? (reader.GetInt32(0), reader.GetInt32(1)) : null;
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null;
        }
    }
}
