using BusRuntime.Core.AppConfiguration;
using Npgsql;

namespace BusRuntime.Stores.Tests.AppConfiguration;

[Collection(PostgresCollection.Name)]
public sealed class PostgresConfigurationStoreTests(PostgresFixture postgres) : ConfigurationStoreBehaviour, IAsyncLifetime
{
    private readonly PostgresSidecar sidecar = postgres.StartSidecar();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await sidecar.DisposeAsync();

    protected override IConfigurationStore CreateStore(string name) => sidecar.Configuration(name);

    [Fact]
    public async Task SaveAsync_TwoSidecarsOnOneSchema_ShareTheItemsOfAComponentAndItsVersions()
    {
        await using var other = postgres.StartSidecar(sidecar.Schema);
        var first = await Store.SaveAsync("orders", [Item("k", "v1")], CancellationToken.None);

        var second = await other.Configuration().SaveAsync("orders", [Item("k", "v2")], CancellationToken.None);

        var item = Assert.Single(await Store.GetAsync("orders", "default", "default", [], false, CancellationToken.None));
        Assert.Equal("v2", item.Content);
        Assert.True(second[0] > first[0]);
    }

    [Fact]
    public void IsShared_OnPostgres_IsTrue() => Assert.True(Store.IsShared);

    [Fact]
    public async Task SaveAsync_RowLockedByAWriterThatCommitsANewerVersionFirst_DrawsAGreaterVersionStill()
    {
        await Store.SaveAsync("orders", [Item("k", "v1")], CancellationToken.None);
        await using var connection = await postgres.Admin.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand($"SELECT 1 FROM \"{sidecar.Schema}\".configuration WHERE key = 'k' FOR UPDATE", connection, transaction))
        {
            await lockRow.ExecuteScalarAsync();
        }

        // This save draws nothing yet that could be older than what the lock holder commits meanwhile.
        var saving = Store.SaveAsync("orders", [Item("k", "v3")], CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await WaitingForALockAsync())
        {
            Assert.True(DateTime.UtcNow < deadline, "the save never waited for the row lock");
            await Task.Delay(20);
        }

        long committed;
        await using (var update = new NpgsqlCommand(
            $"UPDATE \"{sidecar.Schema}\".configuration SET content = 'v2', version = nextval('\"{sidecar.Schema}\".configuration_version') WHERE key = 'k' RETURNING version",
            connection,
            transaction))
        {
            committed = (long)(await update.ExecuteScalarAsync())!;
        }

        await transaction.CommitAsync();
        var saved = (await saving)[0];

        var item = Assert.Single(await Store.GetAsync("orders", "default", "default", [], false, CancellationToken.None));
        Assert.True(saved > committed, $"the save's version {saved} is not greater than {committed}, committed before it");
        Assert.Equal(("v3", saved), (item.Content, item.Version));
    }

    private async Task<bool> WaitingForALockAsync()
    {
        await using var command = postgres.Admin.CreateCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%configuration_version%' AND query LIKE '%INSERT%'");
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    private static ConfigurationItem Item(string key, string content) =>
        new(key, content, "default", "default", new Dictionary<string, string>(), new Dictionary<string, string>());
}
