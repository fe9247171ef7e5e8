using System.Text.Json;
using BusRuntime.Protos.V1;
using BusRuntime.Sidecar.Tests.Commands;
using BusRuntime.Testing;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Security;

/// <summary>
/// The busruntime command line against the sidecar of app "billing", which has an operator token, and a message of app
/// "shop" that billing's view does not show: the built executable, with and without BUSRUNTIME_OPERATOR_TOKEN.
/// </summary>
public sealed class OperatorTokenCommandTests : IAsyncLifetime
{
    private const string Token = "op-s3cret";

    private TestSidecar? sidecar;
    private string shops = "";

    private string Address => $"http://127.0.0.1:{sidecar!.GrpcPort}";

    public async Task InitializeAsync()
    {
        sidecar = await TestSidecar.StartAsync("billing", new Dictionary<string, string?> { ["BusRuntime:OperatorToken"] = Token });
        shops = await OtherApp.SendTopicEventAsync(sidecar, "shop", "shipments", "{\"address\":\"shop's customer\"}");
        await Poll.UntilAsync(
            async () => (await sidecar.Operations.ListMessagesAsync(new ListMessagesRequest(), new Metadata { { "busruntime-operator-token", Token } })).Entries.Count > 0,
            TimeSpan.FromSeconds(15),
            () => $"shop's message {shops} never reached the journal");
    }

    public async Task DisposeAsync() => await sidecar!.DisposeAsync();

    [Fact]
    public async Task MessagesShow_AnotherAppsMessageWithoutOperatorToken_SaysNotFoundAndThatTheOperatorTokenShowsTheDeployment()
    {
        var (exitCode, output, error) = await BuiltCommand.RunAsync(null, "messages", "show", shops, "--sidecar", Address);

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Equal(
            $"busruntime: not found: message_id '{shops}' is not in the journal (unknown, or older than BusRuntime:Journal:Retention). "
            + "Without an operator token the sidecar shows and acts on its own app's messages, dead letters and workflows only; "
            + "set BUSRUNTIME_OPERATOR_TOKEN to its operator token (BusRuntime:OperatorToken) for the whole deployment's.",
            error.Trim());
    }

    [Fact]
    public async Task MessagesShow_BusRuntimeOperatorTokenSet_SendsItAndShowsAnotherAppsMessage()
    {
        var (exitCode, output, error) = await BuiltCommand.RunAsync(
            new Dictionary<string, string?> { ["BUSRUNTIME_OPERATOR_TOKEN"] = Token }, "messages", "show", shops, "--json", "--sidecar", Address);

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        using var shown = JsonDocument.Parse(output);
        Assert.Equal("shop", shown.RootElement.GetProperty("entries")[0].GetProperty("sourceAppId").GetString());
    }

    [Fact]
    public async Task MessagesReplay_IntoAnotherAppsSubscription_SaysNotAllowedAndThatTheOperatorTokenWould()
    {
        var (exitCode, _, error) = await BuiltCommand.RunAsync(null, "messages", "replay", shops, "--to-app", "shop", "--sidecar", Address);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("busruntime: not allowed: to_app_id 'shop' is another app's subscription", error, StringComparison.Ordinal);
        Assert.Contains("set BUSRUNTIME_OPERATOR_TOKEN", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task MessagesList_WrongOperatorToken_SaysTheSidecarRefusedItInOneLine()
    {
        var (exitCode, _, error) = await BuiltCommand.RunAsync(
            new Dictionary<string, string?> { ["BUSRUNTIME_OPERATOR_TOKEN"] = "guess" }, "messages", "list", "--sidecar", Address);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"busruntime: the sidecar at {Address}/ refused the operator token:", error, StringComparison.Ordinal);
        Assert.Contains("Set BUSRUNTIME_OPERATOR_TOKEN to its BusRuntime:OperatorToken, or unset it", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}
