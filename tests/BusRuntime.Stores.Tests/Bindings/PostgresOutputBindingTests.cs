using System.Text;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;

namespace BusRuntime.Stores.Tests.Bindings;

/// <summary>bindings.postgresql on the real PostgreSQL, as Dapr's: exec and query with parameters, answers and bounds; each test in tables of its own schema.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOutputBindingTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly string schema = postgres.NewSchema();
    private PostgresSidecar? sidecar;

    private string Table => $"\"{schema}\".orders";

    public async Task InitializeAsync()
    {
        sidecar = new PostgresSidecar(null, "busruntime");
        await using var command = postgres.Admin.CreateCommand($"CREATE SCHEMA \"{schema}\"; CREATE TABLE {Table} (id int PRIMARY KEY, status text, total numeric, paid boolean)");
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await sidecar!.DisposeAsync();

    [Fact]
    public async Task ExecThenQuery_WithParams_RowsAffectedAndRowsAsArraysAsDapr()
    {
        var binding = Binding();

        var exec = await binding.InvokeAsync(Request("exec", $"INSERT INTO {Table} (id, status, total, paid) VALUES ($1, $2, $3, $4), ($5, $6, $7, $8)", """[1, "paid", 12.5, true, 2, null, 3, false]"""), default);
        var query = await binding.InvokeAsync(Request("query", $"SELECT id, status, total, paid FROM {Table} WHERE id >= $1 ORDER BY id", "[1]"), default);

        Assert.Equal("2", exec.Metadata["rows-affected"]);
        Assert.Equal("""[[1,"paid",12.5,true],[2,null,3,false]]""", Encoding.UTF8.GetString(query.Data.Span));
        Assert.Equal("query", query.Metadata["operation"]);
        Assert.StartsWith("SELECT id", query.Metadata["sql"], StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(query.Metadata["start-time"], System.Globalization.CultureInfo.InvariantCulture, out var start));
        Assert.True(DateTimeOffset.TryParse(query.Metadata["end-time"], System.Globalization.CultureInfo.InvariantCulture, out var end) && end >= start);
        Assert.Matches("^[0-9.]+(s|ms|µs)$", query.Metadata["duration"]);
    }

    [Fact]
    public async Task Exec_ValueThatLooksLikeSql_StoredAsTextNeverRun()
    {
        var binding = Binding();
        var hostile = $"x'); DROP TABLE {Table}; --";

        await binding.InvokeAsync(Request("exec", $"INSERT INTO {Table} (id, status) VALUES ($1, $2)", $$"""[7, {{System.Text.Json.JsonSerializer.Serialize(hostile)}}]"""), default);
        var query = await binding.InvokeAsync(Request("query", $"SELECT status FROM {Table} WHERE id = $1", "[7]"), default);

        Assert.Equal($"[[{System.Text.Json.JsonSerializer.Serialize(hostile)}]]", Encoding.UTF8.GetString(query.Data.Span));
    }

    [Fact]
    public async Task Query_MoreRowsThanMaxRows_ResourceExhausted()
    {
        var binding = Binding(new() { ["maxRows"] = "2" });

        var error = await Assert.ThrowsAsync<RuntimeException>(() => binding.InvokeAsync(Request("query", "SELECT generate_series(1, 3)"), default));

        Assert.Equal(ErrorCode.ResourceExhausted, error.Code);
        Assert.Contains("more than 2 rows (its metadata maxRows)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_AnswerOverMaxResponseBytes_ResourceExhausted()
    {
        var binding = Binding(new() { ["maxResponseBytes"] = "100" });

        var error = await Assert.ThrowsAsync<RuntimeException>(() => binding.InvokeAsync(Request("query", "SELECT repeat('x', 500)"), default));

        Assert.Equal(ErrorCode.ResourceExhausted, error.Code);
    }

    [Fact]
    public async Task Query_LongerThanTimeout_DeadlineExceeded()
    {
        var binding = Binding(new() { ["timeout"] = "1s" });

        var error = await Assert.ThrowsAsync<RuntimeException>(() => binding.InvokeAsync(Request("query", "SELECT pg_sleep(5)"), default));

        Assert.Equal(ErrorCode.DeadlineExceeded, error.Code);
    }

    [Theory]
    [InlineData("query", "SELEC 1", null, "PostgreSQL refused the statement: 42601")]
    [InlineData("query", "", null, "metadata[sql] is not set")]
    [InlineData("query", "SELECT $1", "{\"a\":1}", "metadata[params] is a JSON object")]
    [InlineData("query", "SELECT $1", "[1", "metadata[params] is not JSON")]
    public async Task Invoke_BadRequest_InvalidArgumentNamingIt(string operation, string sql, string? parameters, string expected)
    {
        var error = await Assert.ThrowsAsync<RuntimeException>(() => Binding().InvokeAsync(Request(operation, sql, parameters), default));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://postgres:postgres@127.0.0.1:5432/postgres?sslmode=disable")]
    [InlineData("host=127.0.0.1 port=5432 user=postgres password='postgres' dbname=postgres sslmode=disable")]
    [InlineData(PostgresFixture.ConnectionString)]
    public async Task Query_DaprsConnectionStringForms_Connect(string connectionString)
    {
        var binding = Binding(new() { ["connectionString"] = connectionString });

        var answer = await binding.InvokeAsync(Request("query", "SELECT 41 + 1"), default);

        Assert.Equal("[[42]]", Encoding.UTF8.GetString(answer.Data.Span));
    }

    [Theory]
    [InlineData("host=db gssencmode=disable", "names keyword 'gssencmode', which BusRuntime cannot translate")]
    [InlineData("host=db sslmode=sometimes", "sslmode 'sometimes' is not one of")]
    [InlineData("host=db password='open", "has no closing quote")]
    public void Create_BadConnectionString_ThrowsNamingTheKey(string connectionString, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Binding(new() { ["connectionString"] = connectionString }));

        Assert.StartsWith("BusRuntime:Components[sql]:Metadata:connectionString ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private IOutputBinding Binding(Dictionary<string, string>? metadata = null)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["connectionString"] = PostgresFixture.ConnectionString };
        foreach (var (key, value) in metadata ?? [])
        {
            settings[key] = value;
        }

        return sidecar!.Create<IOutputBinding>(ComponentTypes.BindingsPostgres, "sql", settings);
    }

    private static BindingRequest Request(string operation, string sql, string? parameters = null)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["sql"] = sql };
        if (parameters is not null)
        {
            metadata["params"] = parameters;
        }

        return new BindingRequest(operation, ReadOnlyMemory<byte>.Empty, metadata);
    }
}
