using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.IntegrationTests.Stores;

/// <summary>
/// A sidecar whose PostgreSQL goes away: it reaches the real server through a TCP proxy the test cuts and
/// restores, so only this sidecar loses the database. Calls fail UNAVAILABLE (not a hang, not a crash),
/// readiness says DOWN, and every write that returned OK is there afterwards.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresUnreachableTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task SaveState_DatabaseCutAndRestoredWhileWriting_UnavailableMeanwhileAndEveryAcceptedWriteKept()
    {
        await using var proxy = TcpProxy.Start(PostgresServer.Port);
        var schema = postgres.Server.NewSchema();
        await using var sidecar = await TestSidecar.StartAsync("writer", postgres.Settings(schema, PostgresServer.ConnectionStringVia(proxy.Port)));
        await sidecar.WaitUntilReadyAsync();

        var outcome = await StoreCut.WriteAcrossACutAsync(sidecar, proxy, output);

        Assert.Equal(StatusCode.Unavailable, outcome.ReadWhileCut.StatusCode);
        Assert.Contains("PostgreSQL", outcome.ReadWhileCut.Status.Detail, StringComparison.Ordinal);
        // Refused fast and for the right reason: a hang would show up as DEADLINE_EXCEEDED.
        Assert.Equal([StatusCode.Unavailable], outcome.Refused.Keys);
        var stored = await StoredValuesAsync(schema);
        var lost = outcome.Accepted.Where(key => !stored.TryGetValue($"writer||{key}", out var value) || value != key).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {outcome.Accepted.Count} accepted writes are not in the database, e.g. {string.Join(", ", lost.Take(5))}");
    }

    [Fact]
    public async Task Start_DatabaseUnreachable_StartsNotReadyAndServesOnceItAppears()
    {
        await using var proxy = TcpProxy.Start(PostgresServer.Port);
        proxy.Cut();
        await using var sidecar = await TestSidecar.StartAsync("late", postgres.Settings(postgres.Server.NewSchema(), PostgresServer.ConnectionStringVia(proxy.Port)));

        await Readiness.WaitForAsync(sidecar, "statestore", "INIT", TimeSpan.FromSeconds(10));
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.SaveStateAsync(
            new SaveStateRequest { StoreName = "statestore", States = { new StateItem { Key = "k", Value = ByteString.CopyFromUtf8("v") } } },
            deadline: DateTime.UtcNow.AddSeconds(30)));
        proxy.Restore();
        await sidecar.WaitUntilReadyAsync();
        await sidecar.Runtime.SaveStateAsync(new SaveStateRequest { StoreName = "statestore", States = { new StateItem { Key = "k", Value = ByteString.CopyFromUtf8("v") } } });

        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal("v", (await sidecar.Runtime.GetStateAsync(new GetStateRequest { StoreName = "statestore", Key = "k" })).Data.ToStringUtf8());
    }

    private async Task<Dictionary<string, string>> StoredValuesAsync(string schema)
    {
        await using var command = postgres.Server.Admin.CreateCommand($"SELECT id, coalesce(data ->> 'Text', convert_from(decode(data ->> 'Bytes', 'base64'), 'UTF8')) FROM \"{schema}\".mt_doc_state");
        await using var reader = await command.ExecuteReaderAsync();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            values[reader.GetString(0)] = reader.GetString(1);
        }

        return values;
    }
}
