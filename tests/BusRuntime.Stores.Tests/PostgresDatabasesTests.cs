using BusRuntime.Core.Configuration;
using BusRuntime.Stores.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace BusRuntime.Stores.Tests;

public sealed class PostgresDatabasesTests
{
    [Fact]
    public async Task Get_SameConnectionStringAndSchema_ReturnsTheSameDatabase()
    {
        await using var databases = new PostgresDatabases(NullLoggerFactory.Instance, PostgresPipelines.Provider);
        var options = new StoreOptions { Postgres = PostgresFixture.ConnectionString };

        var state = databases.Get(PostgresSettings.For(new ComponentOptions { Name = "statestore", Type = ComponentTypes.StatePostgres }, options));
        var locks = databases.Get(PostgresSettings.For(new ComponentOptions { Name = "lockstore", Type = ComponentTypes.LockPostgres }, options));
        var elsewhere = databases.Get(PostgresSettings.For(
            new ComponentOptions { Name = "other", Type = ComponentTypes.StatePostgres, Metadata = { ["schema"] = "elsewhere" } }, options));

        Assert.Same(state, locks);
        Assert.NotSame(state, elsewhere);
    }

    [Fact]
    public async Task Get_AfterDispose_Throws()
    {
        var databases = new PostgresDatabases(NullLoggerFactory.Instance, PostgresPipelines.Provider);
        await databases.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() =>
            databases.Get(PostgresSettings.For(new ComponentOptions { Name = "statestore", Type = ComponentTypes.StatePostgres }, new StoreOptions { Postgres = "Host=db" })));
    }
}
