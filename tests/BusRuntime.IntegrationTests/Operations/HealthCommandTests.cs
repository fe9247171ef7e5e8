using System.CommandLine;
using System.Text.Json;
using BusRuntime.Sidecar.Commands;
using BusRuntime.Testing;

namespace BusRuntime.IntegrationTests.Operations;

/// <summary>
/// busruntime health against a sidecar that loses its database: it reaches the real PostgreSQL through a TCP proxy
/// the test cuts, so only this sidecar loses it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HealthCommandTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Health_DatabaseLost_PrintsDownNamingTheStoreAndExitsOneThenZeroOnceItIsBack()
    {
        await using var proxy = TcpProxy.Start(PostgresServer.Port);
        var schema = postgres.Server.NewSchema();
        await using var sidecar = await TestSidecar.StartAsync("health", postgres.Settings(schema, PostgresServer.ConnectionStringVia(proxy.Port)));
        await sidecar.WaitUntilReadyAsync();
        var address = $"http://127.0.0.1:{sidecar.GrpcPort}";

        var (upExit, upOutput, _) = await InvokeAsync("health", "--sidecar", address);
        proxy.Cut();
        await Readiness.WaitForAsync(sidecar, "statestore", "DOWN", TimeSpan.FromSeconds(20));
        var (downExit, downOutput, downError) = await InvokeAsync("health", "--sidecar", address);
        var (jsonExit, json, _) = await InvokeAsync("health", "--json", "--sidecar", address);
        proxy.Restore();
        await Readiness.WaitForAsync(sidecar, "statestore", "UP", TimeSpan.FromSeconds(30));
        var (backExit, _, _) = await InvokeAsync("health", "--sidecar", address);

        Assert.Equal(0, upExit);
        Assert.StartsWith($"UP {address}/", upOutput, StringComparison.Ordinal);
        Assert.Equal(1, downExit);
        Assert.Equal("", downError);
        Assert.StartsWith($"DOWN {address}/", downOutput, StringComparison.Ordinal);
        Assert.Contains("  statestore: DOWN", downOutput, StringComparison.Ordinal);
        Assert.Contains("  bus: UP", downOutput, StringComparison.Ordinal);
        Assert.Equal(1, jsonExit);
        using var report = JsonDocument.Parse(json);
        Assert.Equal("DOWN", report.RootElement.GetProperty("status").GetString());
        Assert.Equal("DOWN", report.RootElement.GetProperty("components").GetProperty("statestore").GetProperty("status").GetString());
        Assert.Equal(0, backExit);
    }

    private static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await BusRuntimeCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
