using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;
using InvokeServiceRequest = BusRuntime.Protos.V1.InvokeServiceRequest;
using Status = BusRuntime.Protos.Dapr.Runtime.V1.TopicEventResponse.Types.TopicEventResponseStatus;
using PublishEventRequest = BusRuntime.Protos.V1.PublishEventRequest;
using SaveStateRequest = BusRuntime.Protos.V1.SaveStateRequest;

namespace BusRuntime.Sidecar.Tests.Operations;

public sealed class OperationsApiTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task GetInfo_EmbeddedSidecar_SaysWhatActuatorInfoSays()
    {
        await using var sidecar = await TestSidecar.StartAsync("info-app");

        var info = await sidecar.Operations.GetInfoAsync(new GetInfoRequest());

        using var actuator = System.Text.Json.JsonDocument.Parse(await sidecar.Http.GetStringAsync(new Uri("/actuator/info", UriKind.Relative)));
        var expected = actuator.RootElement;
        Assert.Equal("info-app", info.AppId);
        Assert.Equal(expected.GetProperty("version").GetString(), info.Version);
        Assert.Equal("InMemory", info.Transport);
        Assert.Equal(expected.GetProperty("pubsubs").EnumerateArray().Select(pubsub => pubsub.GetString()), info.Pubsubs);
        Assert.Equal(
            expected.GetProperty("components").EnumerateArray().Select(component => (component.GetProperty("name").GetString(), component.GetProperty("type").GetString())),
            info.Components.Select(component => ((string?)component.Name, (string?)component.Type)));
        Assert.Contains(info.Components, component => component.Name == "statestore" && component.Type == "state.in-memory");
    }

    [Fact]
    public async Task ListMessages_KindBeforeAndConversation_FilterTheJournal()
    {
        await using var sidecar = await TestSidecar.StartAsync("pages-app");
        var topic = $"paged-{Guid.NewGuid():N}";
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = topic, Data = ByteString.CopyFromUtf8("{}") })).MessageId);
        }

        // The journal is written behind the publishes: wait for all three before paging through them.
        await WaitForAsync(sidecar, new ListMessagesRequest { Topic = topic }, entries => entries.Count == 3);
        var newest = (await sidecar.Operations.ListMessagesAsync(new ListMessagesRequest { Topic = topic, Limit = 2 })).Entries;
        var next = (await sidecar.Operations.ListMessagesAsync(new ListMessagesRequest { Topic = topic, Limit = 2, Before = newest[^1].RecordedAt })).Entries;
        var otherKind = (await sidecar.Operations.ListMessagesAsync(new ListMessagesRequest { Topic = topic, Kind = "invoke-request" })).Entries;
        var conversation = (await sidecar.Operations.ListMessagesAsync(new ListMessagesRequest { ConversationId = newest[0].ConversationId })).Entries;

        Assert.Equal([ids[2], ids[1]], newest.Select(entry => entry.MessageId));
        Assert.Equal([ids[0]], next.Select(entry => entry.MessageId));
        Assert.Empty(otherKind);
        Assert.Equal([ids[2]], conversation.Select(entry => entry.MessageId));
    }

    [Fact]
    public async Task ListMessages_DeliveredAndDroppedEvents_JournaledWithOutcomeAndFilterable()
    {
        await using var sidecar = await TestSidecar.StartAsync("journal-app", new Dictionary<string, string?> { ["BusRuntime:PubSub:RetryLimit"] = "0" });
        using var call = await SubscribeAsync(sidecar, "audits");
        var delivered = await PublishAsync(sidecar, "audits", "{\"n\":1}");
        await AnswerAsync(call, Status.Success);
        var dropped = await PublishAsync(sidecar, "audits", "{\"n\":2}");
        await AnswerAsync(call, Status.Drop);

        var deadLettered = await WaitForAsync(sidecar, new ListMessagesRequest { Topic = "audits", Outcome = "dead-lettered" }, entries => entries.Count == 1);
        var deliveries = await WaitForAsync(sidecar, new ListMessagesRequest { Topic = "audits", Outcome = "delivered" }, entries => entries.Count == 1);
        var sent = await WaitForAsync(sidecar, new ListMessagesRequest { AppId = "journal-app", Outcome = "sent" }, entries => entries.Count == 2);
        var otherTopic = await sidecar.Operations.ListMessagesAsync(new ListMessagesRequest { Topic = "elsewhere" });

        Assert.Equal(dropped, deadLettered[0].MessageId);
        Assert.Contains("the subscriber dropped it", deadLettered[0].Reason, StringComparison.Ordinal);
        Assert.Equal(delivered, deliveries[0].MessageId);
        Assert.Equal("topic-event", deliveries[0].Kind);
        Assert.Equal([dropped, delivered], sent.Select(entry => entry.MessageId));
        Assert.Empty(otherTopic.Entries);
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task GetMessage_JournaledEvent_ReturnsHistoryWithHeadersAndJsonBody()
    {
        await using var sidecar = await TestSidecar.StartAsync("journal-show");
        var id = await PublishAsync(sidecar, "invoices", "{\"total\":12}");

        await WaitForAsync(sidecar, new ListMessagesRequest { Topic = "invoices" }, entries => entries.Count == 1);
        var message = await sidecar.Operations.GetMessageAsync(new GetMessageRequest { MessageId = id });

        var entry = Assert.Single(message.Entries);
        Assert.Equal("sent", entry.Outcome);
        Assert.Equal("journal-show", entry.SourceAppId);
        Assert.Contains("\"topic\":\"invoices\"", entry.Body, StringComparison.Ordinal);
        Assert.Contains("busruntime.topic.pubsub.invoices", entry.DestinationAddress, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListMessages_StoreThatPublishesChanges_JournalsAStateChangeFromTheApp()
    {
        await using var sidecar = await TestSidecar.StartAsync("journal-state", new Dictionary<string, string?>
        {
            ["BusRuntime:Components:0:Name"] = "statestore",
            ["BusRuntime:Components:0:Type"] = "state.in-memory",
            ["BusRuntime:Components:0:Metadata:publishChanges"] = "true",
        });

        await sidecar.Runtime.SaveStateAsync(new SaveStateRequest { StoreName = "statestore", States = { new StateItem { Key = "cart", Value = ByteString.CopyFromUtf8("1") } } });
        var entries = await WaitForAsync(sidecar, new ListMessagesRequest { AppId = "journal-state" }, found => found.Any(entry => entry.Kind == "state-change"));

        var change = entries.First(entry => entry.Kind == "state-change");
        Assert.Equal("sent", change.Outcome);
        Assert.Equal("", change.Topic);
    }

    [Fact]
    public async Task GetMessage_UnknownId_ReturnsNotFoundNamingTheId()
    {
        await using var sidecar = await TestSidecar.StartAsync("journal-unknown");

        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Operations.GetMessageAsync(new GetMessageRequest { MessageId = "no-such-id" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("'no-such-id' is not in the journal", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayMessage_ToAppIdThatCannotBeOne_ReturnsInvalidArgumentBeforeSendingAnything()
    {
        await using var sidecar = await TestSidecar.StartAsync("journal-replay-app");

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await sidecar.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = Guid.NewGuid().ToString(), ToAppId = "billing.v2" }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("to_app_id 'billing.v2' must match ^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$.", error.Status.Detail);
    }

    [Fact]
    public async Task ListMessages_UnknownOutcome_ReturnsInvalidArgumentListingTheOutcomes()
    {
        await using var sidecar = await TestSidecar.StartAsync("journal-outcome");

        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Operations.ListMessagesAsync(new ListMessagesRequest { Outcome = "lost" }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("outcome 'lost' is not one of: sent, delivered, dead-lettered, dropped, faulted.", error.Status.Detail);
    }

    [Fact]
    public async Task ListMessages_JournalOff_ReturnsFailedPreconditionNamingTheKey()
    {
        await using var sidecar = await TestSidecar.StartAsync("journal-off", new Dictionary<string, string?> { ["BusRuntime:Journal:Enabled"] = "false" });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Operations.ListMessagesAsync(new ListMessagesRequest()));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("BusRuntime:Journal:Enabled", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayMessage_DeliveredEvent_SubscriberGetsItAgainWithReplayOfAndNewId()
    {
        await using var sidecar = await TestSidecar.StartAsync("journal-replay");
        using var call = await SubscribeAsync(sidecar, "payments");
        var original = await PublishAsync(sidecar, "payments", "{\"amount\":5}");
        await AnswerAsync(call, Status.Success);
        await WaitForAsync(sidecar, new ListMessagesRequest { Topic = "payments", Outcome = "delivered" }, entries => entries.Count == 1);

        var replay = await sidecar.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = original });
        var replayed = await AnswerAsync(call, Status.Success);
        var journaled = await WaitForAsync(sidecar, new ListMessagesRequest { Topic = "payments", Outcome = "delivered" }, entries => entries.Count == 2);

        Assert.NotEqual(original, replay.MessageId);
        Assert.Empty(replay.Warnings);
        Assert.Equal(replay.MessageId, replayed.Id);
        Assert.Equal(original, replayed.Extensions.Fields["busruntime-replay-of"].StringValue);
        Assert.Equal("{\"amount\":5}", replayed.Data.ToStringUtf8());
        Assert.Equal(replay.MessageId, journaled[0].MessageId);
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task ReplayMessage_ToTopicWithoutSubscriber_WarnsAndIsStillJournaled()
    {
        await using var sidecar = await TestSidecar.StartAsync("journal-nobody");
        var original = await PublishAsync(sidecar, "refunds", "{}");
        await WaitForAsync(sidecar, new ListMessagesRequest { Topic = "refunds" }, entries => entries.Count == 1);

        var dryRun = await sidecar.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = original, ToTopic = "refunds-audit", DryRun = true });
        var replay = await sidecar.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = original, ToTopic = "refunds-audit" });
        var journaled = await WaitForAsync(sidecar, new ListMessagesRequest { Topic = "refunds-audit" }, entries => entries.Count >= 1);
        // Anything else the sidecar sent (a dry run that sent after all) is journaled by now too.
        await WaitForAsync(sidecar, new ListMessagesRequest { AppId = "journal-nobody", Outcome = "sent" }, entries => entries.Count >= 2);
        var everything = await sidecar.Operations.ListMessagesAsync(new ListMessagesRequest { AppId = "journal-nobody", Outcome = "sent" });

        Assert.Equal("", dryRun.MessageId);
        Assert.Equal("refunds-audit", dryRun.Topic);
        Assert.Equal(replay.DestinationAddress, dryRun.DestinationAddress);
        Assert.Contains("busruntime.topic.pubsub.refunds-audit", dryRun.DestinationAddress, StringComparison.Ordinal);
        Assert.Contains("no subscriber of topic 'refunds-audit'", Assert.Single(dryRun.Warnings), StringComparison.Ordinal);
        Assert.Contains("no subscriber of topic 'refunds-audit'", Assert.Single(replay.Warnings), StringComparison.Ordinal);
        Assert.Equal(replay.MessageId, Assert.Single(journaled).MessageId);
        Assert.Equal([replay.MessageId, original], everything.Entries.Select(entry => entry.MessageId));
    }

    [Fact]
    public async Task ListMessages_Invocation_JournalsRequestWithItsSourceAppAndTheResponse()
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync("journal-invoke", appPort: app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();

        await sidecar.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = "journal-invoke", Method = "ping" }, deadline: DateTime.UtcNow.AddSeconds(30));
        var requests = await WaitForAsync(sidecar, new ListMessagesRequest { AppId = "journal-invoke", Outcome = "delivered" }, entries => entries.Any(entry => entry.Kind == "invoke-request"));
        var all = await WaitForAsync(sidecar, new ListMessagesRequest(), entries => entries.Any(entry => entry.Kind == "invoke-response"));

        Assert.Contains(requests, entry => entry.Kind == "invoke-request" && entry.SourceAppId == "journal-invoke");
        Assert.DoesNotContain(all, entry => entry.Kind is "InvokeRequest" or "InvokeResponse");
    }

    [Fact]
    public async Task ReplayMessage_ToOwnSubscribedApp_DeliversWithReplayOfAndToAnotherAppIsPermissionDenied()
    {
        await using var sidecar = await TestSidecar.StartAsync("journal-self");
        using var call = await SubscribeAsync(sidecar, "returns");
        var original = await PublishAsync(sidecar, "returns", "{}");
        await AnswerAsync(call, Status.Success);

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await sidecar.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = original, ToAppId = "billing" }));
        var replay = await sidecar.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = original, ToAppId = "journal-self" });
        var replayed = await AnswerAsync(call, Status.Success);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("to_app_id 'billing' is another app's subscription", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(replay.MessageId, replayed.Id);
        Assert.Equal(original, replayed.Extensions.Fields["busruntime-replay-of"].StringValue);
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task ReplayMessage_BodyOverMaxBodyBytes_IsFailedPreconditionAndShowSaysWhy()
    {
        await using var sidecar = await TestSidecar.StartAsync("journal-big", new Dictionary<string, string?> { ["BusRuntime:Journal:MaxBodyBytes"] = "64" });
        var original = await PublishAsync(sidecar, "scans", $"{{\"image\":\"{new string('a', 200)}\"}}");
        await WaitForAsync(sidecar, new ListMessagesRequest { Topic = "scans" }, entries => entries.Count == 1);

        var shown = Assert.Single((await sidecar.Operations.GetMessageAsync(new GetMessageRequest { MessageId = original })).Entries);
        var exception = await Assert.ThrowsAsync<RpcException>(async () =>
            await sidecar.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = original }));

        Assert.Equal("", shown.Body);
        Assert.True(shown.BodyOmittedBytes > 200, $"body_omitted_bytes is {shown.BodyOmittedBytes}");
        Assert.Equal(StatusCode.FailedPrecondition, exception.StatusCode);
        Assert.Contains("BusRuntime:Journal:MaxBodyBytes", exception.Status.Detail, StringComparison.Ordinal);
    }

    private static async Task<AsyncDuplexStreamingCall<SubscribeTopicEventsRequest, SubscribeTopicEventsResponse>> SubscribeAsync(TestSidecar sidecar, string topic)
    {
        var call = sidecar.Runtime.SubscribeTopicEvents();
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = topic } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return call;
    }

    private static async Task<TopicEventRequest> AnswerAsync(AsyncDuplexStreamingCall<SubscribeTopicEventsRequest, SubscribeTopicEventsResponse> call, Status status)
    {
        using var timeout = new CancellationTokenSource(Patience);
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        var topicEvent = call.ResponseStream.Current.EventMessage;
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest
        {
            EventProcessed = new SubscribeTopicEventsRequestProcessed { Id = topicEvent.Id, Status = new TopicEventResponse { Status = status } },
        });
        return topicEvent;
    }

    private static async Task<string> PublishAsync(TestSidecar sidecar, string topic, string json) =>
        (await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = topic, Data = ByteString.CopyFromUtf8(json) })).MessageId;

    private static async Task<IReadOnlyList<JournalEntry>> WaitForAsync(TestSidecar sidecar, ListMessagesRequest request, Func<IReadOnlyList<JournalEntry>, bool> done)
    {
        IReadOnlyList<JournalEntry> entries = [];
        await Poll.UntilAsync(
            async () =>
            {
                entries = (await sidecar.Operations.ListMessagesAsync(request)).Entries;
                return done(entries);
            },
            Patience,
            () => $"the journal has {entries.Count} entries for {request}: {string.Join("; ", entries.Select(entry => $"{entry.MessageId} {entry.Outcome} {entry.Reason}"))}");
        return entries;
    }
}
