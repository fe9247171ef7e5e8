using System.Text;
using System.Text.Json;
using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Dapr.Client;

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>bindings.postgresql through the .NET SDK's InvokeBindingAsync, written as Dapr's docs show it, on the real PostgreSQL.</summary>
public sealed class PostgresBindingTests(StateBackendsFixture servers) : IClassFixture<StateBackendsFixture>
{
    [Fact]
    public async Task InvokeBindingAsync_ExecThenQuery_AsDaprsDocs()
    {
        await servers.Postgres.EnsureReachableAsync();
        var schema = servers.Postgres.NewSchema();
        await using (var create = servers.Postgres.Admin.CreateCommand($"CREATE SCHEMA \"{schema}\"; CREATE TABLE \"{schema}\".orders (id int PRIMARY KEY, status text)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var sidecar = await TestSidecar.StartAsync("sdk-postgres-binding", new Dictionary<string, string?>
        {
            ["BusRuntime:Components:0:Name"] = "orders-db",
            ["BusRuntime:Components:0:Type"] = "bindings.postgresql",
            ["BusRuntime:Components:0:Metadata:connectionString"] = "host=127.0.0.1 port=5432 user=postgres password=postgres dbname=postgres",
        });
        using var dapr = SdkClients.For(sidecar);

        var insert = new BindingRequest("orders-db", "exec");
        insert.Metadata["sql"] = $"INSERT INTO \"{schema}\".orders (id, status) VALUES ($1, $2)";
        insert.Metadata["params"] = JsonSerializer.Serialize(new object[] { 1, "paid" });
        var inserted = await dapr.InvokeBindingAsync(insert);
        var select = new BindingRequest("orders-db", "query");
        select.Metadata["sql"] = $"SELECT id, status FROM \"{schema}\".orders WHERE id = $1";
        select.Metadata["params"] = "[1]";
        var selected = await dapr.InvokeBindingAsync(select);

        Assert.Equal("1", inserted.Metadata["rows-affected"]);
        Assert.Equal("""[[1,"paid"]]""", Encoding.UTF8.GetString(selected.Data.Span));
        Assert.Equal("query", selected.Metadata["operation"]);
    }
}
