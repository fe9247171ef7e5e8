using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;

namespace BusRuntime.CompatibilityTests.NodeSdk;

public sealed class NodeStateTests
{
    [Fact]
    public async Task NodeSdk_SaveGetBulkDelete_OverHttp_WorksAndReadsWhatAnotherClientWrote()
    {
        await using var sidecar = await TestSidecar.StartAsync("node-state");
        var key = $"node-{Guid.NewGuid():N}";
        var preset = $"preset-{Guid.NewGuid():N}";
        await sidecar.Runtime.SaveStateAsync(new SaveStateRequest
        {
            StoreName = "statestore",
            States = { new StateItem { Key = preset, Value = ByteString.CopyFromUtf8("""{"from":"grpc"}""") } },
        });

        var result = (await NodeScripts.RunAsync("state.mjs", new Dictionary<string, string>
        {
            ["DAPR_HTTP_PORT"] = sidecar.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["KEY"] = key,
            ["PRESET_KEY"] = preset,
        })).AssertSucceeded();

        var line = Assert.Single(result.JsonLines());
        Assert.Equal(7, line.GetProperty("value").GetProperty("id").GetInt32());
        Assert.Equal("book", line.GetProperty("value").GetProperty("item").GetString());
        var bulk = line.GetProperty("bulk").EnumerateArray().ToList();
        Assert.Equal(key, bulk[0].GetProperty("key").GetString());
        Assert.Equal("book", bulk[0].GetProperty("data").GetProperty("item").GetString());
        Assert.False(bulk[1].TryGetProperty("data", out _));
        Assert.Equal("", line.GetProperty("afterDelete").GetString());
        Assert.Equal("grpc", line.GetProperty("preset").GetProperty("from").GetString());
        var stored = await sidecar.Runtime.GetStateAsync(new GetStateRequest { StoreName = "statestore", Key = key });
        Assert.True(stored.Data.IsEmpty, "the key the script deleted is still stored");
    }

    [Fact]
    public async Task NodeSdk_WithDaprApiToken_SendsItAndIsServed()
    {
        await using var sidecar = await TestSidecar.StartAsync("node-token", new Dictionary<string, string?> { ["BusRuntime:ApiToken"] = "node-s3cret" });

        var result = (await NodeScripts.RunAsync("state.mjs", new Dictionary<string, string>
        {
            ["DAPR_HTTP_PORT"] = sidecar.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DAPR_API_TOKEN"] = "node-s3cret",
            ["KEY"] = $"node-token-{Guid.NewGuid():N}",
        })).AssertSucceeded();

        Assert.Equal("book", Assert.Single(result.JsonLines()).GetProperty("value").GetProperty("item").GetString());
    }
}
