using BusRuntime.Core.AppConfiguration;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Locks;
using BusRuntime.Core.Sequences;
using BusRuntime.Core.State;
using BusRuntime.Core.Stores;
using BusRuntime.Stores.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Stores.Tests;

/// <summary>Creating PostgreSQL components: a bad or missing setting stops start-up naming its key, and never shows a password.</summary>
public sealed class PostgresStoresServiceCollectionExtensionsTests
{
    private const string Password = "s3cret-Passw0rd";

    public static TheoryData<string> Types => [ComponentTypes.StatePostgres, ComponentTypes.LockPostgres, ComponentTypes.SequencerPostgres, ComponentTypes.ConfigurationPostgres];

    [Fact]
    public void AddBusRuntimePostgresStores_Always_RegistersAFactoryPerPostgresType()
    {
        using var provider = new ServiceCollection().AddBusRuntimePostgresStores().BuildServiceProvider();

        Assert.Equal(ComponentTypes.StatePostgres, Assert.Single(provider.GetServices<IStoreFactory<IStateStore>>()).Type);
        Assert.Equal(ComponentTypes.LockPostgres, Assert.Single(provider.GetServices<IStoreFactory<ILockStore>>()).Type);
        Assert.Equal(ComponentTypes.SequencerPostgres, Assert.Single(provider.GetServices<IStoreFactory<ISequenceStore>>()).Type);
        Assert.Equal(ComponentTypes.ConfigurationPostgres, Assert.Single(provider.GetServices<IStoreFactory<IConfigurationStore>>()).Type);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Create_NoConnectionString_ThrowsNamingBusRuntimePostgres(string type)
    {
        await using var sidecar = new PostgresSidecar(null, "busruntime");

        var exception = Assert.Throws<InvalidOperationException>(() => Create(sidecar, type, []));

        Assert.Contains("BusRuntime:Components[component]", exception.Message, StringComparison.Ordinal);
        Assert.Contains("BusRuntime:Postgres", exception.Message, StringComparison.Ordinal);
        Assert.Contains("connectionString", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData($"Host=db;Port=abc;Password={Password}")]
    [InlineData($"Host=db;Password={Password};NoSuchKeyword=1")]
    [InlineData($"Password='{Password}")]
    public async Task Create_MalformedConnectionString_ThrowsNamingBusRuntimePostgres(string connectionString)
    {
        await using var sidecar = new PostgresSidecar(connectionString, "busruntime");

        var exception = Assert.Throws<InvalidOperationException>(() => sidecar.State("component"));

        Assert.StartsWith("BusRuntime:Postgres is not a valid PostgreSQL connection string", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_MalformedMetadataConnectionString_ThrowsNamingTheMetadataKey()
    {
        await using var sidecar = new PostgresSidecar(PostgresFixture.ConnectionString, "busruntime");

        var exception = Assert.Throws<InvalidOperationException>(() =>
            Create(sidecar, ComponentTypes.LockPostgres, new() { ["connectionString"] = $"Host=db;Timeout=soon;Password={Password}" }));

        Assert.StartsWith("BusRuntime:Components[component]:Metadata:connectionString is not a valid", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ConnectionStringWithoutHost_ThrowsNamingTheKey()
    {
        await using var sidecar = new PostgresSidecar($"Username=app;Password={Password}", "busruntime");

        var exception = Assert.Throws<InvalidOperationException>(() => sidecar.Sequencer("component"));

        Assert.StartsWith("BusRuntime:Postgres names no Host", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_InvalidSchema_ThrowsNamingBusRuntimePostgresSchema()
    {
        await using var sidecar = new PostgresSidecar(PostgresFixture.ConnectionString, "Bad-Schema");

        var exception = Assert.Throws<InvalidOperationException>(() => sidecar.State("component"));

        Assert.StartsWith("BusRuntime:PostgresSchema 'Bad-Schema' must match", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_InvalidMetadataSchema_ThrowsNamingTheMetadataKey()
    {
        await using var sidecar = new PostgresSidecar(PostgresFixture.ConnectionString, "busruntime");

        var exception = Assert.Throws<InvalidOperationException>(() =>
            Create(sidecar, ComponentTypes.StatePostgres, new() { ["schema"] = "x; DROP TABLE y" }));

        Assert.StartsWith("BusRuntime:Components[component]:Metadata:schema 'x; DROP TABLE y' must match", exception.Message, StringComparison.Ordinal);
    }

    private static object Create(PostgresSidecar sidecar, string type, Dictionary<string, string> metadata) => type switch
    {
        ComponentTypes.StatePostgres => sidecar.Create<IStateStore>(type, "component", metadata),
        ComponentTypes.LockPostgres => sidecar.Create<ILockStore>(type, "component", metadata),
        ComponentTypes.ConfigurationPostgres => sidecar.Create<IConfigurationStore>(type, "component", metadata),
        _ => sidecar.Create<ISequenceStore>(type, "component", metadata),
    };
}
