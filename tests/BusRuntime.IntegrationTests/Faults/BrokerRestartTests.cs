using System.Collections.Concurrent;
using System.Diagnostics;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.IntegrationTests.Faults;

/// <summary>
/// Stops and restarts the real broker (rabbitmqctl stop_app / start_app) under load and counts what was
/// accepted against what arrived: a publish that returned OK is never lost.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class BrokerRestartTests(RabbitMqFixture broker, ITestOutputHelper output)
{
    private const int Publishers = 8;

    [Fact]
    public async Task PublishEvent_BrokerStoppedAndRestartedWhilePublishing_EveryAcceptedEventArrives()
    {
        await using var entities = broker.Track();
        var topic = entities.Topic("orders");
        var appId = RabbitMqFixture.Unique("billing");
        var queue = entities.Subscription(appId, topic);
        await using var app = await SubscriberApp.StartAsync((RabbitMqFixture.PubsubName, topic));
        await using var subscriber = await TestSidecar.StartAsync(appId, RabbitMqFixture.Settings(), app.Port);
        await using var publisher = await TestSidecar.StartAsync(
            RabbitMqFixture.Unique("shop"),
            RabbitMqFixture.Settings(new Dictionary<string, string?> { ["BusRuntime:PublishTimeout"] = "00:00:02" }));
        await subscriber.WaitForSubscriptionsAsync(1);
        await publisher.WaitUntilReadyAsync();

        var accepted = new ConcurrentQueue<string>();
        var refused = new ConcurrentDictionary<StatusCode, int>();
        var unexpected = new ConcurrentQueue<RpcException>();
        using var stopPublishing = new CancellationTokenSource();
        var publishing = Enumerable.Range(0, Publishers)
            .Select(worker => Task.Run(() => PublishUntilStoppedAsync(publisher, topic, worker, accepted, refused, unexpected, stopPublishing.Token)))
            .ToArray();
        var clock = Stopwatch.StartNew();
        int acceptedBeforeRestart;
        try
        {
            await Poll.UntilAsync(() => accepted.Count >= 200, TimeSpan.FromSeconds(10), () => $"{accepted.Count} publishes accepted before the outage");
            await broker.StopBrokerAsync();
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: broker stopped after {accepted.Count} accepted publishes");
            await Poll.UntilAsync(() => !refused.IsEmpty, TimeSpan.FromSeconds(10), () => "no publish was refused while the broker was stopped");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        finally
        {
            await broker.StartBrokerAsync();
            acceptedBeforeRestart = accepted.Count;
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: broker started again; {acceptedBeforeRestart} accepted so far");
        }

        try
        {
            await Poll.UntilAsync(() => accepted.Count >= acceptedBeforeRestart + 200, TimeSpan.FromSeconds(30), () => $"{accepted.Count - acceptedBeforeRestart} publishes accepted after the broker came back");
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: publishing accepted again");
        }
        finally
        {
            await stopPublishing.CancelAsync();
            await Task.WhenAll(publishing);
        }

        var acceptedIds = accepted.ToArray();
        await Poll.UntilAsync(
            () => new Deliveries(app.Received.Select(received => received.Id)).HasAll(acceptedIds),
            TimeSpan.FromSeconds(30),
            () => $"{new Deliveries(app.Received.Select(received => received.Id)).Missing(acceptedIds).Count} of {acceptedIds.Length} accepted events have not arrived");
        var delivered = new Deliveries(app.Received.Select(received => received.Id));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: {acceptedIds.Length} accepted, refused {string.Join(", ", refused.Select(pair => $"{pair.Key}: {pair.Value}"))}; subscriber: {delivered}");
        Assert.Empty(unexpected);
        Assert.Empty(delivered.Missing(acceptedIds));
        await broker.WaitForMessageCountAsync(queue, 0, TimeSpan.FromSeconds(10));
    }

    private static async Task PublishUntilStoppedAsync(
        TestSidecar publisher,
        string topic,
        int worker,
        ConcurrentQueue<string> accepted,
        ConcurrentDictionary<StatusCode, int> refused,
        ConcurrentQueue<RpcException> unexpected,
        CancellationToken stop)
    {
        var sequence = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var response = await publisher.Runtime.PublishEventAsync(
                    new PublishEventRequest
                    {
                        PubsubName = RabbitMqFixture.PubsubName,
                        Topic = topic,
                        Data = ByteString.CopyFromUtf8($"{{\"worker\":{worker},\"n\":{sequence++}}}"),
                    },
                    deadline: DateTime.UtcNow.AddSeconds(5),
                    cancellationToken: CancellationToken.None);
                accepted.Enqueue(response.MessageId);
            }
            catch (RpcException exception) when (exception.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
            {
                refused.AddOrUpdate(exception.StatusCode, 1, (_, count) => count + 1);
                await Task.Delay(50, CancellationToken.None);
            }
            catch (RpcException exception)
            {
                unexpected.Enqueue(exception);
                await Task.Delay(50, CancellationToken.None);
            }
        }
    }
}
