using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Protos.V1;
using BusRuntime.Sidecar.Commands;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;
using PublishEventRequest = BusRuntime.Protos.V1.PublishEventRequest;

namespace BusRuntime.Sidecar.Tests.Commands;

public sealed class OperatorCommandTests(EmbeddedSidecar embedded) : IClassFixture<EmbeddedSidecar>
{
    private const string Nowhere = "http://127.0.0.1:1";

    // What a NOT_FOUND adds when no operator token was sent: the embedded sidecar shows its own app only.
    private const string OperatorTokenHint =
        "Without an operator token the sidecar shows and acts on its own app's messages, dead letters and workflows only; "
        + "set BUSRUNTIME_OPERATOR_TOKEN to its operator token (BusRuntime:OperatorToken) for the whole deployment's.";

    private TestSidecar Sidecar => embedded.Sidecar;

    private string Address => $"http://127.0.0.1:{Sidecar.GrpcPort}";

    [Fact]
    public async Task MessagesList_Json_PrintsIdTopicAppTimeAndOutcomeOfEachMessage()
    {
        var topic = EmbeddedSidecar.Key("cli-list");
        var id = await PublishAsync(topic);

        var (exitCode, output, error) = await InvokeAsync("messages", "list", "--topic", topic, "--since", "10m", "--json", "--sidecar", Address);

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        var entry = Assert.Single(JsonDocument.Parse(output).RootElement.EnumerateArray());
        Assert.Equal(id, entry.GetProperty("messageId").GetString());
        Assert.Equal(topic, entry.GetProperty("topic").GetString());
        Assert.Equal("embedded", entry.GetProperty("appId").GetString());
        Assert.Equal("sent", entry.GetProperty("outcome").GetString());
        Assert.True(entry.GetProperty("time").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-10));
    }

    [Fact]
    public async Task MessagesList_Table_ShowsTheMessageId()
    {
        var topic = EmbeddedSidecar.Key("cli-table");
        var id = await PublishAsync(topic);

        var (exitCode, output, _) = await InvokeAsync("messages", "list", "--topic", topic, "--sidecar", Address);

        Assert.Equal(0, exitCode);
        Assert.Contains(id, output, StringComparison.Ordinal);
        Assert.Contains("1 message(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessagesShow_JournaledEvent_PrintsHistoryAndTheDataAsJson()
    {
        var topic = EmbeddedSidecar.Key("cli-show");
        var id = await PublishAsync(topic, "{\"sku\":\"A-7\"}");

        var (exitCode, output, _) = await InvokeAsync("messages", "show", id, "--sidecar", Address);

        Assert.Equal(0, exitCode);
        Assert.Contains("History", output, StringComparison.Ordinal);
        Assert.Contains("\"sku\": \"A-7\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessagesShow_UnknownId_SaysNotFoundInOneLineAndExitsOne()
    {
        var (exitCode, _, error) = await InvokeAsync("messages", "show", "no-such-message", "--sidecar", Address);

        Assert.Equal(1, exitCode);
        Assert.Equal($"busruntime: not found: message_id 'no-such-message' is not in the journal (unknown, or older than BusRuntime:Journal:Retention). {OperatorTokenHint}", error.Trim());
    }

    [Fact]
    public async Task MessagesReplay_DryRun_SaysWhereItWouldGoAndSendsNothing()
    {
        var topic = EmbeddedSidecar.Key("cli-replay");
        var id = await PublishAsync(topic);

        var (exitCode, output, error) = await InvokeAsync("messages", "replay", id, "--dry-run", "--sidecar", Address);
        // The journal is written in order: once what the sidecar sent after the dry run is journaled, a replay the dry run sent would be too.
        var after = await PublishAsync(topic);
        var journaled = await Sidecar.Operations.ListMessagesAsync(new ListMessagesRequest { Topic = topic });

        Assert.Equal(0, exitCode);
        Assert.Contains($"Would send message {id} again", output, StringComparison.Ordinal);
        Assert.Contains($"no subscriber of topic '{topic}'", error, StringComparison.Ordinal);
        Assert.Equal([after, id], journaled.Entries.Select(entry => entry.MessageId));
    }

    [Fact]
    public async Task MessagesReplay_Json_PrintsTheNewIdAndTheReplayIsJournaledWithReplayOf()
    {
        var topic = EmbeddedSidecar.Key("cli-replay-json");
        var id = await PublishAsync(topic);

        var (exitCode, output, _) = await InvokeAsync("messages", "replay", id, "--json", "--sidecar", Address);
        using var printed = JsonDocument.Parse(output);
        var replayId = printed.RootElement.GetProperty("messageId").GetString()!;
        var replay = await JournaledAsync(replayId);

        Assert.Equal(0, exitCode);
        Assert.Equal(id, printed.RootElement.GetProperty("replayOf").GetString());
        Assert.False(printed.RootElement.GetProperty("dryRun").GetBoolean());
        Assert.Equal(topic, printed.RootElement.GetProperty("topic").GetString());
        Assert.Contains($"busruntime.topic.pubsub.{topic}", printed.RootElement.GetProperty("destination").GetString(), StringComparison.Ordinal);
        Assert.Contains($"no subscriber of topic '{topic}'", printed.RootElement.GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
        Assert.NotEqual(id, replayId);
        Assert.Equal(id, replay.Entries[0].Headers["busruntime-replay-of"]);
    }

    [Fact]
    public async Task MessagesReplay_UnknownId_SaysNotFoundInOneLineAndExitsOne()
    {
        var (exitCode, output, error) = await InvokeAsync("messages", "replay", "no-such-message", "--sidecar", Address);

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Equal($"busruntime: not found: message_id 'no-such-message' is not in the journal (unknown, or older than BusRuntime:Journal:Retention). {OperatorTokenHint}", error.Trim());
    }

    [Fact]
    public async Task MessagesShow_DeliveredEvent_PrintsTheHistoryOldestFirstAndJsonInTheSameOrder()
    {
        var topic = EmbeddedSidecar.Key("cli-history");
        using var call = await SubscribeAsync(topic);
        var id = await PublishAsync(topic);
        await AnswerAsync(call);
        await Poll.UntilAsync(
            async () => (await Sidecar.Operations.ListMessagesAsync(new ListMessagesRequest { Topic = topic, Outcome = "delivered" })).Entries.Count == 1,
            TimeSpan.FromSeconds(15),
            () => $"message {id} was not journaled as delivered");

        var (tableExit, table, _) = await InvokeAsync("messages", "show", id, "--sidecar", Address);
        var (jsonExit, json, _) = await InvokeAsync("messages", "show", id, "--json", "--sidecar", Address);
        await call.RequestStream.CompleteAsync();

        Assert.Equal((0, 0), (tableExit, jsonExit));
        var rows = table.Split('\n');
        var sentRow = Array.FindIndex(rows, row => Regex.IsMatch(row, @"[│|]\s*sent\s*[│|]"));
        var deliveredRow = Array.FindIndex(rows, row => Regex.IsMatch(row, @"[│|]\s*delivered\s*[│|]"));
        Assert.True(sentRow >= 0 && deliveredRow > sentRow, $"the history should list sent, then delivered:\n{table}");
        using var document = JsonDocument.Parse(json);
        var entries = document.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["sent", "delivered"], entries.Select(entry => entry.GetProperty("outcome").GetString()));
        Assert.All(entries, entry => Assert.Equal(id, entry.GetProperty("messageId").GetString()));
        Assert.True(entries[0].GetProperty("recordedAt").GetDateTimeOffset() <= entries[1].GetProperty("recordedAt").GetDateTimeOffset());
        Assert.Equal(topic, entries[0].GetProperty("topic").GetString());
    }

    [Fact]
    public async Task MessagesList_Limit_PrintsOnlyThatManyNewestFirst()
    {
        var topic = EmbeddedSidecar.Key("cli-limit");
        var first = await PublishAsync(topic);
        var second = await PublishAsync(topic);
        var third = await PublishAsync(topic);

        var (exitCode, output, _) = await InvokeAsync("messages", "list", "--topic", topic, "--limit", "2", "--json", "--sidecar", Address);
        var (allExit, all, _) = await InvokeAsync("messages", "list", "--topic", topic, "--json", "--sidecar", Address);

        Assert.Equal((0, 0), (exitCode, allExit));
        Assert.Equal([third, second], JsonDocument.Parse(output).RootElement.EnumerateArray().Select(entry => entry.GetProperty("messageId").GetString()));
        Assert.Equal([third, second, first], JsonDocument.Parse(all).RootElement.EnumerateArray().Select(entry => entry.GetProperty("messageId").GetString()));
    }

    [Fact]
    public async Task MessagesList_LimitOutOfRange_SaysWhichRangeAndExitsOne()
    {
        var (exitCode, _, error) = await InvokeAsync("messages", "list", "--limit", "5000", "--sidecar", Address);

        Assert.Equal(1, exitCode);
        Assert.Equal("busruntime: invalid argument: limit 5000 is out of range; it must be between 1 and 1000 (0 means 100).", error.Trim());
    }

    [Theory]
    [InlineData("ten minutes")]
    [InlineData("10x")]
    [InlineData("-")]
    public async Task MessagesList_MalformedSince_NamesTheOption(string since)
    {
        var (exitCode, _, error) = await InvokeAsync("messages", "list", "--since", since, "--sidecar", Address);

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"--since '{since}' is neither a duration", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("99999999999d")]
    [InlineData("4000000d")]
    public async Task MessagesList_SinceFurtherBackThanTheCalendar_ListsEverythingWithoutAStackTrace(string since)
    {
        var (exitCode, output, error) = await InvokeAsync("messages", "list", "--since", since, "--json", "--sidecar", Address);

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.StartsWith("[", output.TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessagesList_UnreachableSidecar_OneLineNamingTheAddressAndExitOne()
    {
        var (exitCode, _, error) = await InvokeAsync("messages", "list", "--sidecar", Nowhere);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("busruntime: cannot reach the sidecar at http://127.0.0.1:1/", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task MessagesList_SidecarNotAnAddress_NamesTheOption()
    {
        var (exitCode, _, error) = await InvokeAsync("messages", "list", "--sidecar", "localhost");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--sidecar 'localhost' is not an address like http://127.0.0.1:50001.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadlettersList_InMemoryTransport_SaysItNeedsRabbitMq()
    {
        var (exitCode, _, error) = await InvokeAsync("deadletters", "list", "--sidecar", Address);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("busruntime: not possible: dead letters can be listed and redriven on the RabbitMq transport only", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadlettersRedrive_NeitherIdNorAll_IsRejected()
    {
        var (exitCode, _, error) = await InvokeAsync("deadletters", "redrive", "--sidecar", Address);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("redrive needs exactly one of --id ID or --all.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ReadySidecar_PrintsUpWithEachComponentAndExitsZero()
    {
        var (exitCode, output, error) = await InvokeAsync("health", "--sidecar", Address);

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.StartsWith($"UP {Address}/", output, StringComparison.Ordinal);
        Assert.Contains("  bus: UP", output, StringComparison.Ordinal);
        Assert.Contains("  statestore: UP", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_Json_PrintsTheReadinessReportTheActuatorServes()
    {
        var (exitCode, output, _) = await InvokeAsync("health", "--json", "--sidecar", Address);
        using var actuator = JsonDocument.Parse(await Sidecar.Http.GetStringAsync(new Uri("/actuator/health/readiness", UriKind.Relative)));

        Assert.Equal(0, exitCode);
        using var printed = JsonDocument.Parse(output);
        Assert.Equal("UP", printed.RootElement.GetProperty("status").GetString());
        Assert.Equal(
            actuator.RootElement.GetProperty("components").EnumerateObject().Select(component => (component.Name, component.Value.GetProperty("status").GetString())),
            printed.RootElement.GetProperty("components").EnumerateObject().Select(component => (component.Name, component.Value.GetProperty("status").GetString())));
    }

    [Fact]
    public async Task Health_SidecarWhoseDatabaseNeverAnswered_PrintsInitAndExitsOne()
    {
        await using var notReady = await TestSidecar.StartAsync("cli-health-init", new Dictionary<string, string?>
        {
            ["BusRuntime:Postgres"] = "Host=127.0.0.1;Port=1;Username=postgres;Password=postgres;Timeout=2",
        });

        var (exitCode, output, _) = await InvokeAsync("health", "--json", "--sidecar", $"http://127.0.0.1:{notReady.GrpcPort}");

        Assert.Equal(1, exitCode);
        using var printed = JsonDocument.Parse(output);
        Assert.Equal("INIT", printed.RootElement.GetProperty("status").GetString());
        Assert.Equal("INIT", printed.RootElement.GetProperty("components").GetProperty("statestore").GetProperty("status").GetString());
        Assert.Equal("UP", printed.RootElement.GetProperty("components").GetProperty("bus").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_UnreachableSidecar_OneLineNamingTheAddressAndExitOne()
    {
        var (exitCode, output, error) = await InvokeAsync("health", "--sidecar", Nowhere);

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.StartsWith("busruntime: cannot reach the sidecar at http://127.0.0.1:1/", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Health_AddressThatDoesNotSpeakGrpc_OneLineAndExitOne()
    {
        // The sidecar's HTTP port answers HTTP/1.1 only: what comes back is no gRPC answer at all.
        var (exitCode, output, error) = await InvokeAsync("health", "--sidecar", $"http://127.0.0.1:{Sidecar.HttpPort}");

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.StartsWith($"busruntime: http://127.0.0.1:{Sidecar.HttpPort}/ did not answer as a sidecar's gRPC port (", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_HttpOptionOfOldReleases_IsAParseErrorNamingIt()
    {
        var (exitCode, _, error) = await InvokeAsync("health", "--http", "http://127.0.0.1:3500");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--http", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_TeachesTheOperatorCommandsWithExamples()
    {
        var (exitCode, output, _) = await InvokeAsync("--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("busruntime messages list --since 10m --outcome dead-lettered", output, StringComparison.Ordinal);
        Assert.Contains("busruntime health", output, StringComparison.Ordinal);
        Assert.Contains("BUSRUNTIME_OPERATOR_TOKEN", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuiltExecutable_MessagesListJson_PrintsThePublishedMessage()
    {
        var topic = EmbeddedSidecar.Key("cli-built");
        var id = await PublishAsync(topic);

        var (exitCode, output, _) = await BuiltCommand.RunAsync(null, "messages", "list", "--topic", topic, "--json", "--sidecar", Address);

        Assert.Equal(0, exitCode);
        Assert.Equal(id, JsonDocument.Parse(output).RootElement[0].GetProperty("messageId").GetString());
    }

    [Fact]
    public async Task BuiltExecutable_MessagesShowJson_PrintsTheHistoryWithHeadersAndBody()
    {
        var topic = EmbeddedSidecar.Key("cli-built-show");
        var id = await PublishAsync(topic, "{\"sku\":\"B-2\"}");

        var (exitCode, output, error) = await BuiltCommand.RunAsync(null, "messages", "show", id, "--json", "--sidecar", Address);

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        using var document = JsonDocument.Parse(output);
        var entry = Assert.Single(document.RootElement.GetProperty("entries").EnumerateArray());
        Assert.Equal((id, "sent"), (entry.GetProperty("messageId").GetString(), entry.GetProperty("outcome").GetString()));
        Assert.Contains($"\"topic\":\"{topic}\"", entry.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal((0, ""), (entry.GetProperty("retries").GetInt32(), entry.GetProperty("reason").GetString()));
        Assert.Equal(JsonValueKind.Object, entry.GetProperty("headers").ValueKind);
    }

    [Fact]
    public async Task BuiltExecutable_MessagesReplay_SendsItAgainWithANewIdAndUnknownIdExitsOne()
    {
        var topic = EmbeddedSidecar.Key("cli-built-replay");
        var id = await PublishAsync(topic);

        var (exitCode, output, _) = await BuiltCommand.RunAsync(null, "messages", "replay", id, "--sidecar", Address);
        var (unknownExit, _, unknownError) = await BuiltCommand.RunAsync(null, "messages", "replay", "no-such-message", "--sidecar", Address);
        var replayId = Regex.Match(output, "as ([0-9a-f-]{36}) to").Groups[1].Value;
        var replay = await JournaledAsync(replayId);

        Assert.Equal(0, exitCode);
        Assert.Contains($"Replayed {id} as {replayId} to exchange:busruntime.topic.pubsub.{topic}", output, StringComparison.Ordinal);
        Assert.Equal(id, replay.Entries[0].Headers["busruntime-replay-of"]);
        Assert.Equal(1, unknownExit);
        Assert.Equal($"busruntime: not found: message_id 'no-such-message' is not in the journal (unknown, or older than BusRuntime:Journal:Retention). {OperatorTokenHint}", unknownError.Trim());
    }

    [Fact]
    public async Task BuiltExecutable_DeadlettersListOnTheInMemoryTransport_SaysItNeedsRabbitMqAndExitsOne()
    {
        var (exitCode, output, error) = await BuiltCommand.RunAsync(null, "deadletters", "list", "--json", "--sidecar", Address);

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.StartsWith("busruntime: not possible: dead letters can be listed and redriven on the RabbitMq transport only", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuiltExecutable_Health_ExitsZeroWhenUpAndOneWhenUnreachable()
    {
        var (upExit, upOutput, _) = await BuiltCommand.RunAsync(null, "health", "--json", "--sidecar", Address);
        var (downExit, _, downError) = await BuiltCommand.RunAsync(null, "health", "--sidecar", Nowhere);

        Assert.Equal(0, upExit);
        Assert.Equal("UP", JsonDocument.Parse(upOutput).RootElement.GetProperty("status").GetString());
        Assert.Equal(1, downExit);
        Assert.StartsWith("busruntime: cannot reach the sidecar at http://127.0.0.1:1/", downError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", downError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuiltExecutable_UnreachableSidecar_PrintsOneLineWithoutStackTraceAndExitsOne()
    {
        var (exitCode, _, error) = await BuiltCommand.RunAsync(null, "messages", "list", "--sidecar", Nowhere);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("busruntime: cannot reach the sidecar at http://127.0.0.1:1/", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkflowsList_BuiltCommand_Json_ListsTheInstanceWithItsStatus()
    {
        var id = await StartFailingWorkflowAsync();

        var (exitCode, output, error) = await BuiltCommand.RunAsync(null, "workflows", "list", "--status", "FAILED", "--limit", "1000", "--json", "--sidecar", Address);

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        var entry = Assert.Single(JsonDocument.Parse(output).RootElement.EnumerateArray(), element => element.GetProperty("instanceId").GetString() == id);
        Assert.Equal("FAILED", entry.GetProperty("status").GetString());
        Assert.Equal(1, entry.GetProperty("stepCount").GetInt32());
        Assert.Contains("UNAVAILABLE", entry.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkflowsShow_BuiltCommand_ShowsStatusStepsAndError()
    {
        var id = await StartFailingWorkflowAsync();

        var (exitCode, output, _) = await BuiltCommand.RunAsync(null, "workflows", "show", id, "--sidecar", Address);

        Assert.Equal(0, exitCode);
        Assert.Contains(id, output, StringComparison.Ordinal);
        Assert.Contains("FAILED", output, StringComparison.Ordinal);
        Assert.Contains("billing", output, StringComparison.Ordinal);
        Assert.Contains("refund", output, StringComparison.Ordinal);
        Assert.Contains("UNAVAILABLE", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkflowsShow_UnknownId_ExitsOneSayingNotFound()
    {
        var (exitCode, _, error) = await BuiltCommand.RunAsync(null, "workflows", "show", "never-started", "--sidecar", Address);

        Assert.Equal(1, exitCode);
        Assert.Contains("not found", error, StringComparison.Ordinal);
        Assert.Contains("never-started", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkflowsList_UnknownStatus_IsAParseError()
    {
        var (exitCode, _, error) = await InvokeAsync("workflows", "list", "--status", "DONE", "--sidecar", Address);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("DONE", error, StringComparison.Ordinal);
    }

    /// <summary>A workflow whose one step calls an app nobody serves on the embedded bus: it ends FAILED with UNAVAILABLE.</summary>
    private async Task<string> StartFailingWorkflowAsync()
    {
        var id = EmbeddedSidecar.Key("cli-workflow");
        await Sidecar.Runtime.StartWorkflowAsync(new StartWorkflowRequest
        {
            InstanceId = id,
            Steps = { new WorkflowStep { AppId = "billing", Method = "charge", CompensationMethod = "refund" } },
        });
        await Poll.UntilAsync(
            async () => (await Sidecar.Runtime.GetWorkflowAsync(new GetWorkflowRequest { InstanceId = id })).Workflow.Status == WorkflowStatus.Failed,
            TimeSpan.FromSeconds(30),
            () => $"workflow {id} did not fail");
        return id;
    }

    private async Task<string> PublishAsync(string topic, string json = "{}")
    {
        var id = (await Sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = topic, Data = ByteString.CopyFromUtf8(json) })).MessageId;
        await Poll.UntilAsync(
            async () => (await Sidecar.Operations.ListMessagesAsync(new ListMessagesRequest { Topic = topic })).Entries.Count > 0,
            TimeSpan.FromSeconds(15),
            () => $"message {id} never reached the journal");
        return id;
    }

    /// <summary>The journal's entries of a message, once it has some.</summary>
    private async Task<GetMessageResponse> JournaledAsync(string id)
    {
        GetMessageResponse found = new();
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    found = await Sidecar.Operations.GetMessageAsync(new GetMessageRequest { MessageId = id });
                    return true;
                }
                catch (RpcException notYet) when (notYet.StatusCode == StatusCode.NotFound)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(15),
            () => $"message '{id}' never reached the journal");
        return found;
    }

    private async Task<AsyncDuplexStreamingCall<SubscribeTopicEventsRequest, SubscribeTopicEventsResponse>> SubscribeAsync(string topic)
    {
        var call = Sidecar.Runtime.SubscribeTopicEvents();
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = topic } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return call;
    }

    private static async Task AnswerAsync(AsyncDuplexStreamingCall<SubscribeTopicEventsRequest, SubscribeTopicEventsResponse> call)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest
        {
            EventProcessed = new SubscribeTopicEventsRequestProcessed
            {
                Id = call.ResponseStream.Current.EventMessage.Id,
                Status = new TopicEventResponse { Status = TopicEventResponse.Types.TopicEventResponseStatus.Success },
            },
        });
    }

    [Fact]
    public async Task Console_ListenBeyondLoopbackWithoutAllowRemote_RefusedNamingTheFlag()
    {
        var (exitCode, output, error) = await InvokeAsync("console", "--listen", "0.0.0.0", "--port", "7399");

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Contains("--listen 0.0.0.0 is beyond loopback", error, StringComparison.Ordinal);
        Assert.Contains("--allow-remote", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_ListenNotAnAddress_RefusedNamingTheValue()
    {
        var (exitCode, _, error) = await InvokeAsync("console", "--listen", "console.example");

        Assert.Equal(1, exitCode);
        Assert.Contains("--listen 'console.example' is not an IP address", error, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await BusRuntimeCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
