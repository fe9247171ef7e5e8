using System.Collections.Concurrent;
using System.CommandLine;
using System.Text.Json;
using BusRuntime.Protos.V1;
using BusRuntime.Sidecar.Commands;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;
using Status = BusRuntime.Protos.Dapr.Runtime.V1.TopicEventResponse.Types.TopicEventResponseStatus;

namespace BusRuntime.IntegrationTests.Operations;

/// <summary>
/// Redrive on RabbitMQ when it does not run to its end: interrupted by the operator, or refused by the broker.
/// A dead letter is acknowledged only after the broker confirmed its resend, so every message is afterwards in
/// its dead-letter queue or back on its queue (and delivered), never in neither.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class RedriveTests(RabbitMqFixture broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RedriveAll_InterruptedMidway_EveryDeadLetterStillDeadLetteredOrDeliveredAndTheRestRedrivenLater()
    {
        await using var entities = broker.Track();
        var topic = entities.Topic("refunds");
        var appId = RabbitMqFixture.Unique("billing");
        var errorQueue = RabbitMqFixture.ErrorQueue(appId, topic);
        entities.Subscription(appId, topic);
        var processed = new ConcurrentQueue<string>();
        var failing = true;
        using var interrupt = new CancellationTokenSource();
        await using var app = await SubscriberApp.StartAsync((RabbitMqFixture.PubsubName, topic));
        app.Respond = request =>
        {
            if (Volatile.Read(ref failing))
            {
                return Status.Drop;
            }

            processed.Enqueue(request.Id);
            // The operator presses Ctrl+C as soon as the first redriven event has been delivered.
            interrupt.Cancel();
            return Status.Success;
        };
        await using var sidecar = await TestSidecar.StartAsync(appId, RabbitMqFixture.Settings(), app.Port);
        await sidecar.WaitForSubscriptionsAsync(1);
        var published = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            published.Add((await sidecar.Runtime.PublishEventAsync(new PublishEventRequest
            {
                PubsubName = RabbitMqFixture.PubsubName,
                Topic = topic,
                Data = ByteString.CopyFromUtf8($"{{\"n\":{i}}}"),
            })).MessageId);
        }

        await broker.WaitForMessageCountAsync(errorQueue, (uint)published.Count, Patience);
        Volatile.Write(ref failing, false);
        var address = $"http://127.0.0.1:{sidecar.GrpcPort}";

        var (interruptedExit, _, interruptedError) = await InvokeAsync(interrupt.Token, "deadletters", "redrive", "--all", "--sidecar", address);
        // What the interrupted redrive put back reaches the app; what it did not stays dead-lettered.
        await broker.WaitForMessageCountAsync(RabbitMqFixture.Queue(appId, topic), 0, Patience);
        uint deadLettered = 0;
        await Poll.UntilAsync(
            async () =>
            {
                deadLettered = await broker.MessageCountAsync(errorQueue) ?? 0;
                return deadLettered + processed.Distinct().Count() >= published.Count;
            },
            Patience,
            () => $"{processed.Count} delivered and {deadLettered} dead-lettered of {published.Count}");
        var stillDeadLettered = await broker.PeekMessageIdsAsync(errorQueue);
        var delivered = processed.ToHashSet();

        Assert.Equal(1, interruptedExit);
        Assert.StartsWith("busruntime: interrupted after redriving ", interruptedError, StringComparison.Ordinal);
        Assert.NotEmpty(stillDeadLettered);
        var lost = published.Where(id => !delivered.Contains(id) && !stillDeadLettered.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"lost by the interrupted redrive: {string.Join(", ", lost)}");
        Assert.True(stillDeadLettered.Count(delivered.Contains) <= 1, "more than the one message in flight is both delivered and still dead-lettered");

        var (exitCode, output, _) = await InvokeAsync(CancellationToken.None, "deadletters", "redrive", "--all", "--json", "--sidecar", address);
        await Poll.UntilAsync(() => published.All(processed.Contains), Patience, () => $"{published.Count(processed.Contains)} of {published.Count} delivered after the second redrive");
        await broker.WaitForMessageCountAsync(errorQueue, 0, Patience);

        Assert.Equal(0, exitCode);
        using var printed = JsonDocument.Parse(output);
        Assert.Equal(stillDeadLettered.Count, printed.RootElement.GetProperty("count").GetInt32());
        Assert.Equal(
            stillDeadLettered.Order(StringComparer.Ordinal),
            printed.RootElement.GetProperty("messages").EnumerateArray().Select(message => message.GetProperty("messageId").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(printed.RootElement.GetProperty("messages").EnumerateArray(), message =>
            Assert.Equal((errorQueue, RabbitMqFixture.Queue(appId, topic)), (message.GetProperty("from").GetString(), message.GetProperty("to").GetString())));
    }

    [Fact]
    public async Task Redrive_SourceQueueGone_RefusedByTheBrokerAndEveryDeadLetterStaysWhereItWas()
    {
        await using var entities = broker.Track();
        var topic = entities.Topic("returns");
        var appId = RabbitMqFixture.Unique("billing");
        var queue = entities.Subscription(appId, topic);
        var errorQueue = RabbitMqFixture.ErrorQueue(appId, topic);
        var published = new List<string>();
        await using (var app = await SubscriberApp.StartAsync((RabbitMqFixture.PubsubName, topic)))
        {
            app.Respond = _ => Status.Drop;
            await using var subscriber = await TestSidecar.StartAsync(appId, RabbitMqFixture.Settings(), app.Port);
            await subscriber.WaitForSubscriptionsAsync(1);
            for (var i = 0; i < 3; i++)
            {
                published.Add((await subscriber.Runtime.PublishEventAsync(new PublishEventRequest
                {
                    PubsubName = RabbitMqFixture.PubsubName,
                    Topic = topic,
                    Data = ByteString.CopyFromUtf8("{}"),
                })).MessageId);
            }

            await broker.WaitForMessageCountAsync(errorQueue, (uint)published.Count, Patience);
        }

        // The app stopped subscribing and its queue was deleted; its dead letters stay on the broker.
        await broker.DeleteAsync([queue], []);
        await using var operatorSidecar = await TestSidecar.StartAsync(appId, RabbitMqFixture.Settings());

        var (exitCode, output, error) = await InvokeAsync(CancellationToken.None, "deadletters", "redrive", "--queue", queue, "--all", "--json", "--sidecar", $"http://127.0.0.1:{operatorSidecar.GrpcPort}");

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.StartsWith("busruntime: unavailable: the broker did not take message ", error, StringComparison.Ordinal);
        Assert.Contains($"back on queue '{queue}' (no such queue); it stays in '{errorQueue}'.", error, StringComparison.Ordinal);
        Assert.Equal(published.Order(StringComparer.Ordinal), (await broker.PeekMessageIdsAsync(errorQueue)).Order(StringComparer.Ordinal));
        Assert.Null(await broker.MessageCountAsync(queue));
    }

    private static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await BusRuntimeCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task RedriveDeadLetter_DeadLetterQueueNeverCreated_MovesNothing()
    {
        var appId = RabbitMqFixture.Unique("never-dead");
        await using var sidecar = await TestSidecar.StartAsync(appId, RabbitMqFixture.Settings());

        var response = await sidecar.Operations.RedriveDeadLetterAsync(new RedriveDeadLetterRequest { Queue = RabbitMqFixture.Queue(appId, "never-subscribed") });

        Assert.False(response.Moved);
    }

    [Fact]
    public async Task RedriveDeadLetter_QueueNameLongerThanRabbitMqAllows_InvalidArgument()
    {
        var appId = RabbitMqFixture.Unique("long-queue");
        await using var sidecar = await TestSidecar.StartAsync(appId, RabbitMqFixture.Settings());

        var exception = await Assert.ThrowsAsync<RpcException>(() =>
            sidecar.Operations.RedriveDeadLetterAsync(new RedriveDeadLetterRequest { Queue = RabbitMqFixture.Queue(appId, new string('t', 300)) }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        Assert.Contains("at most 255 bytes", exception.Status.Detail, StringComparison.Ordinal);
    }
}
