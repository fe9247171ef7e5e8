using BusRuntime.Core.Configuration;
using BusRuntime.Core.State.Query;
using BusRuntime.Core.Stores;
using BusRuntime.Stores.Postgres;
using BusRuntime.Stores.Postgres.State;
using JasperFx;
using Npgsql;

namespace BusRuntime.Stores.Tests.State;

/// <summary>BusRuntime:StateQueryIndexes: an index per key in Marten's mapping, which Marten creates and keeps.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStateQueryIndexTests(PostgresFixture postgres)
{
    private const string Tenant = "statestore";

    private static readonly QueryPath Org = StateQueryParser.ParseKey("person.org", "test");

    [Fact]
    public async Task EnsureCreatedAsync_KeyConfigured_CreatesItsIndexAndASecondStoreKeepsIt()
    {
        var schema = postgres.NewSchema();
        await using var dataSource = NpgsqlDataSource.Create(PostgresFixture.ConnectionString);
        using (var first = new StateDocuments(dataSource, schema, AutoCreate.CreateOrUpdate, [Org]))
        {
            await first.EnsureCreatedAsync(CancellationToken.None);
        }

        var created = await IndexAsync(schema);
        using (var second = new StateDocuments(dataSource, schema, AutoCreate.CreateOrUpdate, [Org]))
        {
            await second.EnsureCreatedAsync(CancellationToken.None);
        }

        var kept = await IndexAsync(schema);

        Assert.NotNull(created);
        Assert.Contains("'person'::text) -> 'org'::text", created.Value.Definition, StringComparison.Ordinal);
        Assert.Equal(created, kept);
    }

    [Fact]
    public async Task QueryAsync_EqOnAnIndexedKey_UsesTheIndex()
    {
        var schema = postgres.NewSchema();
        await using var dataSource = NpgsqlDataSource.Create(PostgresFixture.ConnectionString);
        using var documents = new StateDocuments(dataSource, schema, AutoCreate.CreateOrUpdate, [Org]);
        await documents.EnsureCreatedAsync(CancellationToken.None);
        await ExecuteAsync(dataSource, $"""
            INSERT INTO "{schema}".{StateDocuments.Table} (tenant_id, id, data, mt_version)
            SELECT '{Tenant}', 'k' || g, jsonb_build_object('Json', jsonb_build_object('person', jsonb_build_object('org', 'o' || g)), 'Text', 'x'), g
            FROM generate_series(1, 5000) g;
            ANALYZE "{schema}".{StateDocuments.Table};
            """);
        var query = StateQueryParser.Parse("""{"filter": {"EQ": {"person.org": "o42"}}}""");

        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = StateQuerySql.Command($"\"{schema}\"", Tenant, query, KeyScope.For(new ComponentOptions { Name = Tenant, Type = ComponentTypes.StatePostgres, Metadata = { [KeyScope.MetadataKey] = "none" } }, "app"));
        explain.Connection = connection;
        explain.CommandText = "EXPLAIN " + explain.CommandText;
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.Contains(plan, line => line.Contains(StateDocuments.IndexName(Org), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("person..org", "BusRuntime:StateQueryIndexes:1 key 'person..org' has an empty member name")]
    [InlineData("", "BusRuntime:StateQueryIndexes:1 has an empty key")]
    public void For_InvalidKey_ThrowsNamingIt(string key, string message)
    {
        var options = new StoreOptions { Postgres = PostgresFixture.ConnectionString };
        options.StateQueryIndexes.Add("person.org");
        options.StateQueryIndexes.Add(key);

        var error = Assert.Throws<InvalidOperationException>(() => PostgresSettings.For(new ComponentOptions { Name = Tenant, Type = ComponentTypes.StatePostgres }, options));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void For_MoreKeysThanTheMaximum_ThrowsNamingTheSetting()
    {
        var options = new StoreOptions { Postgres = PostgresFixture.ConnectionString };
        foreach (var index in Enumerable.Range(0, StoreOptions.MaxStateQueryIndexes + 1))
        {
            options.StateQueryIndexes.Add($"k{index}");
        }

        var error = Assert.Throws<InvalidOperationException>(() => PostgresSettings.For(new ComponentOptions { Name = Tenant, Type = ComponentTypes.StatePostgres }, options));

        Assert.Equal($"BusRuntime:StateQueryIndexes names 17 keys, over the maximum of {StoreOptions.MaxStateQueryIndexes}.", error.Message);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<(uint Oid, string Definition)?> IndexAsync(string schema)
    {
        await using var command = postgres.Admin.CreateCommand(
            "SELECT c.oid, pg_get_indexdef(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = StateDocuments.IndexName(Org) });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (await reader.GetFieldValueAsync<uint>(0), await reader.GetFieldValueAsync<string>(1)) : null;
    }
}
