using BusRuntime.Testing;

namespace BusRuntime.Sidecar.Tests.Commands;

/// <summary><c>busruntime db migrate</c> as an operator runs it ahead of deploy, against the real PostgreSQL.</summary>
public sealed class DbCommandTests : IAsyncLifetime
{
    private readonly PostgresServer postgres = new();

    public Task InitializeAsync() => postgres.EnsureReachableAsync();

    public async Task DisposeAsync() => await postgres.DisposeAsync();

    [Fact]
    public async Task Migrate_NewSchemaThenAgain_AppliesEverythingThenReportsItUpToDate()
    {
        var schema = postgres.NewSchema();

        var first = await BuiltCommand.RunAsync(null, "db", "migrate", "--postgres", PostgresServer.ConnectionString, "--schema", schema);
        var second = await BuiltCommand.RunAsync(new Dictionary<string, string?> { ["BusRuntime__Postgres"] = PostgresServer.ConnectionString, ["BusRuntime__PostgresSchema"] = schema }, "db", "migrate");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains($"PostgreSQL 127.0.0.1:5432/postgres, schema '{schema}':", first.Output, StringComparison.Ordinal);
        Assert.Contains("BusRuntime's tables: applied 0001-stores, 0002-journal", first.Output, StringComparison.Ordinal);
        Assert.Contains("Marten's state documents: mt_doc_state and the sequence state_revision are in place", first.Output, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("BusRuntime's tables: up to date", second.Output, StringComparison.Ordinal);
        await using var command = postgres.Admin.CreateCommand($"SELECT to_regclass('\"{schema}\".mt_doc_state') IS NOT NULL AND to_regclass('\"{schema}\".locks') IS NOT NULL");
        Assert.Equal(true, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Migrate_NoConnectionString_ExitsTwoNamingTheFlagAndTheKey()
    {
        var (exitCode, _, error) = await BuiltCommand.RunAsync(new Dictionary<string, string?> { ["BusRuntime__Postgres"] = null }, "db", "migrate");

        Assert.Equal(2, exitCode);
        Assert.Contains("no connection string: pass --postgres or set BusRuntime:Postgres (BusRuntime__Postgres).", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_BadSchema_ExitsTwoNamingTheFlagWithoutThePassword()
    {
        var (exitCode, _, error) = await BuiltCommand.RunAsync(null, "db", "migrate", "--postgres", "Host=127.0.0.1;Password=s3cret", "--schema", "Bus-Runtime");

        Assert.Equal(2, exitCode);
        Assert.Contains("--schema 'Bus-Runtime' must match", error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_UnreachableServer_ExitsOneSayingPostgresFailed()
    {
        var (exitCode, _, error) = await BuiltCommand.RunAsync(
            null, "db", "migrate", "--postgres", "Host=127.0.0.1;Port=1;Username=postgres;Password=s3cret;Timeout=2", "--schema", postgres.NewSchema());

        Assert.Equal(1, exitCode);
        Assert.Contains("busruntime db migrate: PostgreSQL failed, nothing more was applied:", error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_Migrate_SaysWhatItAppliesAndTheExitCodes()
    {
        var (exitCode, output, _) = await BuiltCommand.RunAsync(null, "db", "migrate", "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("mt_doc_state", output, StringComparison.Ordinal);
        Assert.Contains("Exit code 0 when the schema is in place, 1 when PostgreSQL failed", output, StringComparison.Ordinal);
        Assert.Contains("--postgres", output, StringComparison.Ordinal);
    }
}
