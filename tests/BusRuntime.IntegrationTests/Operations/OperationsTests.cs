using System.Collections.Concurrent;
using System.CommandLine;
using System.Text.Json;
using BusRuntime.Protos.V1;
using BusRuntime.Sidecar.Commands;
using BusRuntime.Testing;
using Google.Protobuf;
using Status = BusRuntime.Protos.Dapr.Runtime.V1.TopicEventResponse.Types.TopicEventResponseStatus;

namespace BusRuntime.IntegrationTests.Operations;

/// <summary>
/// The operator's round trip on RabbitMQ with the journal on PostgreSQL: events fail into dead letters,
/// the journal finds them, one is replayed, the rest are redriven, and every event ends up processed.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class OperationsTests(RabbitMqFixture broker, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string OperatorToken = "op-s3cret";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly global::Grpc.Core.Metadata Operator = new() { { "busruntime-operator-token", OperatorToken } };

    [Fact]
    public async Task DeadLetters_ListedReplayedAndRedriven_EveryEventProcessedOnceAndOnlyTheReplayTwice()
    {
        var schema = postgres.Server.NewSchema();
        await using var entities = broker.Track();
        var topic = entities.Topic("invoices");
        var appId = RabbitMqFixture.Unique("billing");
        var publisherId = RabbitMqFixture.Unique("shop");
        var errorQueue = RabbitMqFixture.ErrorQueue(appId, topic);
        entities.Subscription(appId, topic);

        var processed = new ConcurrentQueue<(string Id, string ReplayOf)>();
        var failing = true;
        await using var app = await SubscriberApp.StartAsync((RabbitMqFixture.PubsubName, topic));
        app.Respond = request =>
        {
            if (failing && request.Data.ToStringUtf8().Contains("fail", StringComparison.Ordinal))
            {
                return Status.Drop;
            }

            processed.Enqueue((request.Id, request.Extensions?.Fields.TryGetValue("busruntime-replay-of", out var of) == true ? of.StringValue : ""));
            return Status.Success;
        };
        var settings = RabbitMqFixture.Settings(postgres.Settings(schema, more: new Dictionary<string, string?> { ["BusRuntime:OperatorToken"] = OperatorToken }));
        await using var subscriber = await TestSidecar.StartAsync(appId, settings, app.Port);
        await using var publisher = await TestSidecar.StartAsync(publisherId, settings);
        await subscriber.WaitForSubscriptionsAsync(1);

        var published = new List<string>();
        var failed = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var body = i % 3 == 0 ? $"{{\"n\":{i},\"fail\":true}}" : $"{{\"n\":{i}}}";
            var id = (await publisher.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = RabbitMqFixture.PubsubName, Topic = topic, Data = ByteString.CopyFromUtf8(body) })).MessageId;
            published.Add(id);
            if (i % 3 == 0)
            {
                failed.Add(id);
            }
        }

        await broker.WaitForMessageCountAsync(errorQueue, (uint)failed.Count, Patience);

        // The journal, shared by both sidecars on PostgreSQL, finds the dead letters by topic and outcome; what the
        // publisher sent is the publisher's, which the subscriber's sidecar shows with the operator token only.
        var deadLettered = await WaitForAsync(subscriber, new ListMessagesRequest { Topic = topic, Outcome = "dead-lettered" }, failed.Count);
        var sent = await WaitForAsync(subscriber, new ListMessagesRequest { Topic = topic, AppId = publisherId, Outcome = "sent" }, published.Count, Operator);
        var sentWithoutToken = await subscriber.Operations.ListMessagesAsync(new ListMessagesRequest { Topic = topic, AppId = publisherId, Outcome = "sent" });
        Assert.Equal(failed.Order(), deadLettered.Select(entry => entry.MessageId).Order());
        Assert.Equal(published.Order(), sent.Select(entry => entry.MessageId).Order());
        Assert.Empty(sentWithoutToken.Entries);
        var (listExit, listed, _) = await InvokeAsync("deadletters", "list", "--json", "--sidecar", $"http://127.0.0.1:{subscriber.GrpcPort}");
        Assert.Equal(0, listExit);
        using (var document = JsonDocument.Parse(listed))
        {
            Assert.Equal(failed.Count, document.RootElement.GetProperty("queues")[0].GetProperty("count").GetInt32());
            Assert.Equal(failed.Order(), document.RootElement.GetProperty("messages").EnumerateArray().Select(message => message.GetProperty("messageId").GetString()).Order());
        }

        failing = false;
        // Shop's event, dead-lettered here: the subscriber's sidecar replays it to its own subscription.
        var replay = await subscriber.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = failed[0], ToAppId = appId });
        await Poll.UntilAsync(() => processed.Any(entry => entry.Id == replay.MessageId), Patience, () => $"the replay {replay.MessageId} was not processed");
        // The journal writes behind the bus: the replay's delivery may be stored before its send.
        GetMessageResponse replayHistory = new();
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    replayHistory = await subscriber.Operations.GetMessageAsync(new GetMessageRequest { MessageId = replay.MessageId });
                }
                catch (global::Grpc.Core.RpcException notYet) when (notYet.StatusCode == global::Grpc.Core.StatusCode.NotFound)
                {
                    return false;
                }

                return replayHistory.Entries.Any(entry => entry.Outcome == "sent") && replayHistory.Entries.Any(entry => entry.Outcome == "delivered");
            },
            Patience,
            () => $"the replay's history is {replayHistory}");

        var (oneExit, one, _) = await InvokeAsync("deadletters", "redrive", "--id", failed[^1], "--sidecar", $"http://127.0.0.1:{subscriber.GrpcPort}");
        await Poll.UntilAsync(() => processed.Any(entry => entry.Id == failed[^1]), Patience, () => $"the redriven {failed[^1]} was not processed");
        await broker.WaitForMessageCountAsync(errorQueue, (uint)failed.Count - 1, Patience);
        var (redriveExit, _, redriveError) = await InvokeAsync("deadletters", "redrive", "--all", "--sidecar", $"http://127.0.0.1:{subscriber.GrpcPort}");
        await Poll.UntilAsync(() => processed.Count == published.Count + 1, Patience, () => $"{processed.Count} of {published.Count + 1} events processed");
        await broker.WaitForMessageCountAsync(errorQueue, 0, Patience);

        Assert.Equal(0, oneExit);
        Assert.Contains($"Redrove {failed[^1]} from {errorQueue}", one, StringComparison.Ordinal);
        Assert.Equal(0, redriveExit);
        Assert.Equal("", redriveError);
        Assert.Empty(replay.Warnings);
        Assert.Equal(failed[0], replayHistory.Entries.First(entry => entry.Outcome == "sent").Headers["busruntime-replay-of"]);
        Assert.Equal(failed[0], processed.Single(entry => entry.Id == replay.MessageId).ReplayOf);
        var processedIds = processed.Select(entry => entry.Id).ToList();
        Assert.Equal(processedIds.Count, processedIds.Distinct().Count());
        Assert.Equal(published.Append(replay.MessageId).Order(), processedIds.Order());
        Assert.Equal(0u, await broker.MessageCountAsync(RabbitMqFixture.Queue(appId, topic)));
    }

    [Fact]
    public async Task ReplayToApp_OnlyThatAppsSubscriptionGetsItAndAnUnknownAppIsRefusedWithoutANewQueue()
    {
        await using var entities = broker.Track();
        var topic = entities.Topic("shipments");
        var billingId = RabbitMqFixture.Unique("billing");
        var auditId = RabbitMqFixture.Unique("audit");
        var nobodyId = RabbitMqFixture.Unique("nobody");
        entities.Subscription(billingId, topic);
        entities.Subscription(auditId, topic);
        entities.Queue(RabbitMqFixture.Queue(nobodyId, topic));
        var billingEvents = new ConcurrentQueue<string>();
        var auditEvents = new ConcurrentQueue<string>();
        await using var billingApp = await SubscriberApp.StartAsync((RabbitMqFixture.PubsubName, topic));
        await using var auditApp = await SubscriberApp.StartAsync((RabbitMqFixture.PubsubName, topic));
        billingApp.Respond = request =>
        {
            billingEvents.Enqueue(request.Id);
            return Status.Success;
        };
        auditApp.Respond = request =>
        {
            auditEvents.Enqueue(request.Id);
            return Status.Success;
        };
        await using var billing = await TestSidecar.StartAsync(billingId, RabbitMqFixture.Settings(new Dictionary<string, string?> { ["BusRuntime:OperatorToken"] = OperatorToken }), billingApp.Port);
        await using var audit = await TestSidecar.StartAsync(auditId, RabbitMqFixture.Settings(), auditApp.Port);
        await billing.WaitForSubscriptionsAsync(1);
        await audit.WaitForSubscriptionsAsync(1);
        var original = (await billing.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = RabbitMqFixture.PubsubName, Topic = topic, Data = ByteString.CopyFromUtf8("{}") })).MessageId;
        await Poll.UntilAsync(() => billingEvents.Count == 1 && auditEvents.Count == 1, Patience, () => $"billing {billingEvents.Count}, audit {auditEvents.Count} of 1 event each");
        await WaitForAsync(billing, new ListMessagesRequest { Topic = topic, AppId = billingId, Outcome = "sent" }, 1);

        // Into another app's subscription: the operator's call.
        var denied = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(async () =>
            await billing.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = original, ToAppId = auditId }));
        var replay = await billing.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = original, ToAppId = auditId }, Operator);
        var refused = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(async () =>
            await billing.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = original, ToAppId = nobodyId }, Operator));
        await Poll.UntilAsync(() => auditEvents.Count == 2, Patience, () => $"audit received {auditEvents.Count} of 2 events");
        // The replay to audit has been delivered; one to billing would have been sent at the same moment.
        await WaitForAsync(audit, new ListMessagesRequest { Topic = topic, Outcome = "delivered" }, 2);

        Assert.Equal(global::Grpc.Core.StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal(replay.MessageId, auditEvents.Last());
        Assert.Equal([original], billingEvents);
        Assert.Equal(global::Grpc.Core.StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains($"app '{nobodyId}' has no subscription to topic '{topic}'", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Null(await broker.MessageCountAsync(RabbitMqFixture.Queue(nobodyId, topic)));
    }

    private static async Task<IReadOnlyList<JournalEntry>> WaitForAsync(TestSidecar sidecar, ListMessagesRequest request, int count, global::Grpc.Core.Metadata? headers = null)
    {
        IReadOnlyList<JournalEntry> entries = [];
        await Poll.UntilAsync(
            async () =>
            {
                entries = (await sidecar.Operations.ListMessagesAsync(request, headers)).Entries;
                return entries.Count >= count;
            },
            Patience,
            () => $"the journal has {entries.Count} of {count} entries for {request}");
        return entries;
    }

    private static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await BusRuntimeCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
