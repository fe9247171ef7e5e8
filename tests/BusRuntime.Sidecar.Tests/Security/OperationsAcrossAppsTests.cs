using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;
using JournalEntry = BusRuntime.Protos.V1.JournalEntry;
using PublishEventRequest = BusRuntime.Protos.V1.PublishEventRequest;
using Status = BusRuntime.Protos.Dapr.Runtime.V1.TopicEventResponse.Types.TopicEventResponseStatus;

namespace BusRuntime.Sidecar.Tests.Security;

/// <summary>
/// The Operations API of app "billing"'s sidecar, on a bus that app "shop" uses too (a .NET service sending on the
/// sidecar's in-memory bus): billing subscribes to "orders"; shop sends one event there and one to "shipments",
/// which billing does not follow; billing publishes one of its own to "orders". Without the operator token billing
/// sees its own event and shop's delivery to it, nothing else; with it, everything.
/// </summary>
public sealed class OperationsAcrossAppsTests : IAsyncLifetime
{
    private const string Token = "op-s3cret";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private static readonly Metadata Operator = new() { { "busruntime-operator-token", Token } };

    private TestSidecar? sidecar;
    private AsyncDuplexStreamingCall<SubscribeTopicEventsRequest, SubscribeTopicEventsResponse>? subscription;

    private TestSidecar Billing => sidecar!;

    private string ShopsDelivered { get; set; } = "";

    private string ShopsElsewhere { get; set; } = "";

    private string BillingsOwn { get; set; } = "";

    public async Task InitializeAsync()
    {
        sidecar = await TestSidecar.StartAsync("billing", new Dictionary<string, string?> { ["BusRuntime:OperatorToken"] = Token });
        subscription = Billing.Runtime.SubscribeTopicEvents();
        await subscription.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = "orders" } });
        Assert.True(await subscription.ResponseStream.MoveNext(CancellationToken.None));

        ShopsDelivered = await OtherApp.SendTopicEventAsync(Billing, "shop", "orders", "{\"card\":\"shop's secret\"}");
        await AnswerAsync(Status.Success);
        ShopsElsewhere = await OtherApp.SendTopicEventAsync(Billing, "shop", "shipments", "{\"address\":\"shop's customer\"}");
        BillingsOwn = (await Billing.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "orders", Data = ByteString.CopyFromUtf8("{}") })).MessageId;
        await AnswerAsync(Status.Success);
        // Everything is journaled once the operator sees every entry: the two sends and deliveries to billing, and shop's send elsewhere.
        await WaitForAsync(new ListMessagesRequest(), Operator, entries => entries.Count >= 5);
    }

    public async Task DisposeAsync()
    {
        subscription?.Dispose();
        await sidecar!.DisposeAsync();
    }

    [Fact]
    public async Task ListMessages_WithoutOperatorToken_ShowsTheAppsOwnMessagesAndWhatWasDeliveredToIt()
    {
        var entries = (await Billing.Operations.ListMessagesAsync(new ListMessagesRequest())).Entries;

        Assert.Equal([("delivered", ShopsDelivered)], Of(entries, ShopsDelivered));
        Assert.Empty(Of(entries, ShopsElsewhere));
        Assert.Equal([("delivered", BillingsOwn), ("sent", BillingsOwn)], Of(entries, BillingsOwn).Order());
        Assert.All(entries, entry => Assert.True(entry.SourceAppId == "billing" || entry.DestinationAddress.Contains("/busruntime.app.billing.", StringComparison.Ordinal), $"{entry}"));
    }

    [Fact]
    public async Task ListMessages_OtherAppsFilterWithoutOperatorToken_IsWhatThatAppDeliveredHere()
    {
        var fromShop = (await Billing.Operations.ListMessagesAsync(new ListMessagesRequest { AppId = "shop" })).Entries;

        Assert.Equal([("delivered", ShopsDelivered)], fromShop.Select(entry => (entry.Outcome, entry.MessageId)));
    }

    [Fact]
    public async Task ListMessages_WithOperatorToken_ShowsEveryAppsMessages()
    {
        var entries = (await Billing.Operations.ListMessagesAsync(new ListMessagesRequest(), Operator)).Entries;

        Assert.Equal([("delivered", ShopsDelivered), ("sent", ShopsDelivered)], Of(entries, ShopsDelivered).Order());
        Assert.Equal([("sent", ShopsElsewhere)], Of(entries, ShopsElsewhere));
    }

    [Fact]
    public async Task ListMessages_AnotherAppsConfigurationChangeThisSidecarReceived_IsNotTheAppsMessage()
    {
        // Billing follows its own configuration, so its sidecar's configuration queue is consuming; every app's
        // changes arrive there, as on a shared bus they arrive at every sidecar.
        using var watch = Billing.Runtime.SubscribeConfiguration();
        await watch.RequestStream.WriteAsync(new Protos.V1.SubscribeConfigurationRequest { StoreName = "configstore" });
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
        var change = await OtherApp.PublishConfigurationChangeAsync(Billing, "shop", "shop's secret");
        await WaitForAsync(new ListMessagesRequest(), Operator, entries => entries.Any(entry => entry.MessageId == change && entry.Outcome == "delivered"));

        var entries = (await Billing.Operations.ListMessagesAsync(new ListMessagesRequest())).Entries;

        Assert.Empty(Of(entries, change));
    }

    [Fact]
    public async Task GetMessage_AnotherAppsMessage_IsNotFoundExactlyAsAnUnknownId()
    {
        var unknown = Guid.NewGuid().ToString();

        var foreign = await Assert.ThrowsAsync<RpcException>(async () => await Billing.Operations.GetMessageAsync(new GetMessageRequest { MessageId = ShopsElsewhere }));
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await Billing.Operations.GetMessageAsync(new GetMessageRequest { MessageId = unknown }));

        Assert.Equal(StatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(missing.Status.Detail.Replace(unknown, ShopsElsewhere, StringComparison.Ordinal), foreign.Status.Detail);
    }

    [Fact]
    public async Task GetMessage_AnotherAppsEventDeliveredHere_ShowsOnlyTheDeliveryAndWithOperatorTokenItsSendToo()
    {
        var own = (await Billing.Operations.GetMessageAsync(new GetMessageRequest { MessageId = ShopsDelivered })).Entries;
        var everything = (await Billing.Operations.GetMessageAsync(new GetMessageRequest { MessageId = ShopsDelivered }, Operator)).Entries;

        Assert.Equal(["delivered"], own.Select(entry => entry.Outcome));
        Assert.Equal(["sent", "delivered"], everything.Select(entry => entry.Outcome));
    }

    [Theory]
    [InlineData("")]
    [InlineData("billing")]
    public async Task ReplayMessage_AnotherAppsMessage_IsNotFoundAndSendsNothing(string toAppId)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Billing.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = ShopsElsewhere, ToAppId = toAppId }));
        var shipments = (await Billing.Operations.ListMessagesAsync(new ListMessagesRequest { Topic = "shipments" }, Operator)).Entries;

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal($"message_id '{ShopsElsewhere}' is not in the journal (unknown, or older than BusRuntime:Journal:Retention).", error.Status.Detail);
        Assert.Single(shipments);
    }

    [Fact]
    public async Task ReplayMessage_AnotherAppsEventDeliveredHere_ToEverySubscriberIsPermissionDeniedToItsOwnSubscriptionIsDelivered()
    {
        var denied = await Assert.ThrowsAsync<RpcException>(async () =>
            await Billing.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = ShopsDelivered }));
        var replay = await Billing.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = ShopsDelivered, ToAppId = "billing" });
        var replayed = await AnswerAsync(Status.Success);

        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal(
            $"message {ShopsDelivered} was published by app 'shop': without the operator token (busruntime-operator-token) the sidecar of app 'billing' replays it only to its own subscription (to_app_id 'billing'), not to every subscriber of the topic.",
            denied.Status.Detail);
        Assert.Equal(replay.MessageId, replayed.Id);
        Assert.Equal(ShopsDelivered, replayed.Extensions.Fields["busruntime-replay-of"].StringValue);
    }

    [Fact]
    public async Task ReplayMessage_IntoAnotherAppsSubscription_IsPermissionDeniedWithoutTheOperatorToken()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Billing.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = BillingsOwn, ToAppId = "shop" }));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(
            "to_app_id 'shop' is another app's subscription: without the operator token (busruntime-operator-token) the sidecar of app 'billing' replays only to its own (to_app_id 'billing').",
            error.Status.Detail);
    }

    [Fact]
    public async Task ReplayMessage_AnotherAppsEventWithOperatorToken_GoesToTheTopic()
    {
        var replay = await Billing.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = ShopsDelivered }, Operator);
        var replayed = await AnswerAsync(Status.Success);

        Assert.Equal(replay.MessageId, replayed.Id);
        Assert.Contains("busruntime.topic.pubsub.orders", replay.DestinationAddress, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayMessage_ToATopicTheAppMayNotPublishTo_IsPermissionDeniedWithoutTheOperatorToken()
    {
        await using var scoped = await TestSidecar.StartAsync("scoped", new Dictionary<string, string?>
        {
            ["BusRuntime:OperatorToken"] = Token,
            ["BusRuntime:Components:0:Name"] = "pubsub",
            ["BusRuntime:Components:0:Type"] = "pubsub.bus",
            ["BusRuntime:Components:0:Metadata:publishingScopes"] = "scoped=orders",
        });
        var own = (await scoped.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "orders", Data = ByteString.CopyFromUtf8("{}") })).MessageId;
        await Poll.UntilAsync(
            async () => (await scoped.Operations.ListMessagesAsync(new ListMessagesRequest { Topic = "orders" })).Entries.Count > 0,
            Patience,
            () => $"message {own} never reached the journal");

        var denied = await Assert.ThrowsAsync<RpcException>(async () =>
            await scoped.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = own, ToTopic = "refunds", DryRun = true }));
        var operators = await scoped.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = own, ToTopic = "refunds", DryRun = true }, Operator);

        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.StartsWith("app 'scoped' may not publish to topic 'refunds' of pub/sub 'pubsub'", denied.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("refunds", operators.Topic);
    }

    [Fact]
    public async Task RedriveDeadLetter_AnotherAppsQueue_IsPermissionDeniedNamingTheOperatorToken()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Billing.Operations.RedriveDeadLetterAsync(new RedriveDeadLetterRequest { Queue = "busruntime.app.shop.pubsub.orders" }));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(
            "queue 'busruntime.app.shop.pubsub.orders' is a queue of app 'shop': without the operator token (busruntime-operator-token) the sidecar of app 'billing' reaches only its own queues, which start with 'busruntime.app.billing.'.",
            error.Status.Detail);
    }

    public static TheoryData<string> OperationsRpcs => ["ListMessages", "GetMessage", "ReplayMessage", "ListDeadLetters", "RedriveDeadLetter", "ListWorkflows", "GetWorkflow"];

    [Theory]
    [MemberData(nameof(OperationsRpcs))]
    public async Task EveryOperationsRpc_WrongOperatorToken_IsUnauthenticatedNotTheAppsView(string rpc)
    {
        var wrong = new Metadata { { "busruntime-operator-token", Token + "x" } };

        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(rpc, wrong));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal(
            "the busruntime-operator-token header is not this sidecar's operator token (BusRuntime:OperatorToken, BUSRUNTIME_OPERATOR_TOKEN); leave it out to see app 'billing' only.",
            error.Status.Detail);
    }

    [Fact]
    public async Task GetHealth_WithoutOrWithAWrongOperatorToken_Answers()
    {
        var plain = await Billing.Operations.GetHealthAsync(new GetHealthRequest());
        var wrong = await Billing.Operations.GetHealthAsync(new GetHealthRequest(), new Metadata { { "busruntime-operator-token", "wrong" } });

        Assert.Equal("UP", plain.Status);
        Assert.Equal("UP", wrong.Status);
    }

    [Fact]
    public async Task ListMessages_OperatorTokenWhereTheSidecarHasNone_IsUnauthenticated()
    {
        await using var plain = await TestSidecar.StartAsync("no-operator");

        var error = await Assert.ThrowsAsync<RpcException>(async () => await plain.Operations.ListMessagesAsync(new ListMessagesRequest(), Operator));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("this sidecar has no operator token", error.Status.Detail, StringComparison.Ordinal);
    }

    private async Task CallAsync(string rpc, Metadata headers)
    {
        var operations = Billing.Operations;
        switch (rpc)
        {
            case "ListMessages": await operations.ListMessagesAsync(new ListMessagesRequest(), headers); break;
            case "GetMessage": await operations.GetMessageAsync(new GetMessageRequest { MessageId = BillingsOwn }, headers); break;
            case "ReplayMessage": await operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = BillingsOwn, DryRun = true }, headers); break;
            case "ListDeadLetters": await operations.ListDeadLettersAsync(new ListDeadLettersRequest(), headers); break;
            case "RedriveDeadLetter": await operations.RedriveDeadLetterAsync(new RedriveDeadLetterRequest { Queue = "busruntime.app.billing.pubsub.orders" }, headers); break;
            case "ListWorkflows": await operations.ListWorkflowsAsync(new ListWorkflowsRequest(), headers); break;
            case "GetWorkflow": await operations.GetWorkflowAsync(new GetWorkflowRequest { InstanceId = "w-1" }, headers); break;
            default: throw new ArgumentOutOfRangeException(nameof(rpc), rpc, "not an Operations rpc");
        }
    }

    private async Task<TopicEventRequest> AnswerAsync(Status status)
    {
        using var timeout = new CancellationTokenSource(Patience);
        Assert.True(await subscription!.ResponseStream.MoveNext(timeout.Token));
        var topicEvent = subscription.ResponseStream.Current.EventMessage;
        await subscription.RequestStream.WriteAsync(new SubscribeTopicEventsRequest
        {
            EventProcessed = new SubscribeTopicEventsRequestProcessed { Id = topicEvent.Id, Status = new TopicEventResponse { Status = status } },
        });
        return topicEvent;
    }

    private static (string Outcome, string MessageId)[] Of(IEnumerable<JournalEntry> entries, string messageId) =>
        [.. entries.Where(entry => entry.MessageId == messageId).Select(entry => (entry.Outcome, entry.MessageId))];

    private async Task WaitForAsync(ListMessagesRequest request, Metadata headers, Func<IReadOnlyList<JournalEntry>, bool> done)
    {
        IReadOnlyList<JournalEntry> entries = [];
        await Poll.UntilAsync(
            async () =>
            {
                entries = (await Billing.Operations.ListMessagesAsync(request, headers)).Entries;
                return done(entries);
            },
            Patience,
            () => $"the journal has {entries.Count} entries: {string.Join("; ", entries.Select(entry => $"{entry.MessageId} {entry.Outcome}"))}");
    }
}
