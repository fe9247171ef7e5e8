using BusRuntime.Core.Configuration;
using BusRuntime.Stores.Postgres;
using Npgsql;

namespace BusRuntime.Stores.Tests;

public sealed class PostgresSettingsTests
{
    [Fact]
    public void For_NoTimeoutsSet_FailsFastByDefault()
    {
        var settings = PostgresSettings.For(Component(), new StoreOptions { Postgres = "Host=db;Username=app;Password=p" });

        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.Equal(5, builder.Timeout);
        Assert.Equal(15, builder.CommandTimeout);
        Assert.Equal("db:5432/app", settings.Server);
    }

    [Fact]
    public void For_TimeoutsSet_KeepsThem()
    {
        var settings = PostgresSettings.For(Component(), new StoreOptions { Postgres = "Host=db;timeout=2;CommandTimeout=60" });

        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.Equal(2, builder.Timeout);
        Assert.Equal(60, builder.CommandTimeout);
    }

    [Fact]
    public void For_Metadata_WinsOverTheDefaults()
    {
        var component = Component(new() { ["connectionString"] = "Host=own;Database=mine", ["schema"] = "own_schema" });

        var settings = PostgresSettings.For(component, new StoreOptions { Postgres = "Host=shared", PostgresSchema = "shared_schema" });

        Assert.Equal("own", new NpgsqlConnectionStringBuilder(settings.ConnectionString).Host);
        Assert.Equal("own_schema", settings.Schema);
    }

    [Fact]
    public void For_NoMetadata_UsesTheDefaults()
    {
        var settings = PostgresSettings.For(Component(), new StoreOptions { Postgres = "Host=shared", PostgresSchema = "shared_schema" });

        Assert.Equal("shared", new NpgsqlConnectionStringBuilder(settings.ConnectionString).Host);
        Assert.Equal("shared_schema", settings.Schema);
    }

    [Fact]
    public void ToString_Always_HidesThePassword()
    {
        var settings = PostgresSettings.For(Component(), new StoreOptions { Postgres = "Host=db;Password=s3cret" });

        Assert.DoesNotContain("s3cret", settings.ToString(), StringComparison.Ordinal);
    }

    private static ComponentOptions Component(Dictionary<string, string>? metadata = null) =>
        new() { Name = "statestore", Type = ComponentTypes.StatePostgres, Metadata = metadata ?? [] };
}
