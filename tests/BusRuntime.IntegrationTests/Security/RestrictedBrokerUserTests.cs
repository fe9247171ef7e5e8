using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using BusRuntime.Transport.RabbitMq;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace BusRuntime.IntegrationTests.Security;

/// <summary>
/// Two sidecars on RabbitMQ, each with a broker user of its own app holding only <see cref="RabbitMqPermissions.For"/>,
/// on a virtual host of the test's own: everything the sidecars do across apps works, and one app's user can neither
/// read nor take over what belongs to the other.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class RestrictedBrokerUserTests(ITestOutputHelper output)
{
    private const string Shop = "shop";
    private const string Billing = "billing";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Sidecars_EachWithItsAppsRestrictedUser_PublishSubscribeInvokeConfigureAndRunWorkflowsAcrossApps()
    {
        await using var broker = await RestrictedBroker.CreateAsync();
        var shopAddress = await AddAppUserAsync(broker, Shop);
        var billingAddress = await AddAppUserAsync(broker, Billing);
        await using var billingApp = await InvokeApp.StartAsync();
        await using var billing = await StartAsync(Billing, billingAddress, billingApp.Port);
        await using var shop = await StartAsync(Shop, shopAddress);
        await billing.WaitUntilServingInvocationsAsync(Wait);

        // Pub/sub: billing subscribes, shop publishes.
        await using (var subscriber = await StreamSubscriber.OpenAsync(billing, "orders"))
        {
            var published = await shop.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "orders", Data = ByteString.CopyFromUtf8("{}") });
            await Poll.UntilAsync(() => subscriber.Received.Contains(published.MessageId), Wait, () => $"billing did not receive {published.MessageId}");
        }

        // Dead letters: billing drops an event (MassTransit declares the _error queue), then redrives it and gets it again.
        var dropped = await DropOneAsync(billing, shop, "refunds");
        var listed = await billing.Operations.ListDeadLettersAsync(new ListDeadLettersRequest { Queue = RabbitMqFixture.Queue(Billing, "refunds"), Limit = 10 });
        Assert.Equal(dropped, Assert.Single(listed.Messages).MessageId);
        var redriven = await billing.Operations.RedriveDeadLetterAsync(new RedriveDeadLetterRequest { Queue = RabbitMqFixture.Queue(Billing, "refunds"), MessageId = dropped });
        Assert.True(redriven.Moved);
        await using (var again = await StreamSubscriber.OpenAsync(billing, "refunds"))
        {
            await Poll.UntilAsync(() => again.Received.Contains(dropped), Wait, () => $"billing did not receive the redriven {dropped}");
        }

        // Invocation: shop calls billing, and the answer comes back.
        var answer = await shop.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = Billing, Method = "charge", Data = ByteString.CopyFromUtf8("7") }, deadline: DateTime.UtcNow + Wait);
        Assert.Equal("7", answer.Data.ToStringUtf8());
        Assert.Equal(Shop, Assert.Single(billingApp.Received).Headers["dapr-caller-app-id"]);

        // Configuration: a change is an event every sidecar's configuration queue gets.
        await using (var follower = await ConfigurationSubscriber.OpenAsync(shop, Shop))
        {
            await shop.Runtime.SaveConfigurationAsync(new SaveConfigurationRequest { StoreName = "configstore", AppId = Shop, Items = { new ConfigurationItem { Key = "timeout", Content = "30s" } } });
            await Poll.UntilAsync(() => follower.Latest("timeout")?.Content == "30s", Wait, () => "the configuration change did not come back");
        }

        // Workflows: shop runs the saga and the steps on queues of its own, and a step invokes billing.
        var instanceId = await Workflows.Workflows.StartAsync(shop, "x", new WorkflowStep { AppId = Billing, Method = "reserve" });
        var workflow = await Workflows.Workflows.WaitForEndAsync(shop, instanceId);
        Assert.Equal(WorkflowStatus.Completed, workflow.Status);

        Assert.True(await IsReadyAsync(shop), "shop's sidecar is not ready");
        Assert.True(await IsReadyAsync(billing), "billing's sidecar is not ready");
        output.WriteLine(string.Join(Environment.NewLine, await broker.ListAsync("queues")));
    }

    [Fact]
    public async Task RestrictedUser_OfOneApp_CannotReadBindOrTakeOverAnotherAppsQueuesAndRequests()
    {
        await using var broker = await RestrictedBroker.CreateAsync();
        var shopAddress = await AddAppUserAsync(broker, Shop);
        var billingAddress = await AddAppUserAsync(broker, Billing);
        await using var billingApp = await InvokeApp.StartAsync();
        await using var billing = await StartAsync(Billing, billingAddress, billingApp.Port);
        await billing.WaitUntilServingInvocationsAsync(Wait);
        await using var subscriber = await StreamSubscriber.OpenAsync(billing, "orders");
        var factory = new ConnectionFactory { Uri = new Uri(shopAddress), AutomaticRecoveryEnabled = false };
        await using var connection = await factory.CreateConnectionAsync();

        var readQueue = await RefusedAsync(connection, channel => channel.BasicGetAsync(RabbitMqFixture.Queue(Billing, "orders"), autoAck: false));
        var takeInvokeQueue = await RefusedAsync(connection, channel => channel.QueueDeclareAsync("busruntime.app.billing.invoke", durable: true, exclusive: false, autoDelete: true));
        var consumeInvokeQueue = await RefusedAsync(connection, channel => channel.BasicGetAsync("busruntime.app.billing.invoke", autoAck: false));
        var snoopRequests = await RefusedAsync(connection, async channel =>
        {
            await channel.QueueDeclareAsync("busruntime.app.shop.snoop", durable: false, exclusive: true, autoDelete: true);
            await channel.QueueBindAsync("busruntime.app.shop.snoop", "busruntime.invoke.billing", "");
        });
        var injectIntoQueue = await RefusedAsync(connection, channel => channel.QueueBindAsync(RabbitMqFixture.Queue(Billing, "orders"), "busruntime.topic.pubsub.payments", ""));

        Assert.All([readQueue, takeInvokeQueue, consumeInvokeQueue, snoopRequests, injectIntoQueue], refusal => Assert.Equal(403, refusal));
        Assert.True(await IsReadyAsync(billing), "billing's sidecar is not ready");
    }

    /// <summary>Subscribes <paramref name="subscriber"/> to a topic, publishes one event from <paramref name="publisher"/>, answers DROP; returns its id once dead-lettered.</summary>
    private static async Task<string> DropOneAsync(TestSidecar subscriber, TestSidecar publisher, string topic)
    {
        using var call = subscriber.Runtime.SubscribeTopicEvents();
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = topic } });
        using var timeout = new CancellationTokenSource(Wait);
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        var published = await publisher.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = topic, Data = ByteString.CopyFromUtf8("{}") });
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal(published.MessageId, call.ResponseStream.Current.EventMessage.Id);
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest
        {
            EventProcessed = new SubscribeTopicEventsRequestProcessed
            {
                Id = published.MessageId,
                Status = new Protos.Dapr.Runtime.V1.TopicEventResponse { Status = Protos.Dapr.Runtime.V1.TopicEventResponse.Types.TopicEventResponseStatus.Drop },
            },
        });
        var errorQueue = RabbitMqFixture.ErrorQueue(subscriber.Services.GetRequiredService<IOptions<Core.Configuration.RuntimeOptions>>().Value.AppId, topic);
        await Poll.UntilAsync(
            async () => (await subscriber.Operations.ListDeadLettersAsync(new ListDeadLettersRequest { Queue = errorQueue, Limit = 10 })).Messages.Count == 1,
            Wait,
            () => $"{published.MessageId} did not reach {errorQueue}");
        await call.RequestStream.CompleteAsync();
        return published.MessageId;
    }

    private static Task<string> AddAppUserAsync(RestrictedBroker broker, string appId)
    {
        var permissions = RabbitMqPermissions.For(appId);
        return broker.AddUserAsync($"{broker.VirtualHost}-{appId}", permissions.Configure, permissions.Write, permissions.Read);
    }

    private static async Task<TestSidecar> StartAsync(string appId, string address, int? appPort = null)
    {
        var sidecar = await TestSidecar.StartAsync(appId, RabbitMqFixture.Settings(new Dictionary<string, string?> { ["BusRuntime:RabbitMq"] = address }), appPort);
        await sidecar.WaitUntilReadyAsync(Wait);
        return sidecar;
    }

    private static async Task<bool> IsReadyAsync(TestSidecar sidecar)
    {
        using var response = await sidecar.Http.GetAsync(new Uri("/actuator/health/readiness", UriKind.Relative));
        return response.IsSuccessStatusCode;
    }

    /// <summary>Runs a broker operation on a channel of its own and returns the reply code the broker closed the channel with.</summary>
    private static async Task<int> RefusedAsync(IConnection connection, Func<IChannel, Task> operation)
    {
        await using var channel = await connection.CreateChannelAsync();
        var error = await Assert.ThrowsAsync<OperationInterruptedException>(() => operation(channel));
        return error.ShutdownReason?.ReplyCode ?? 0;
    }
}
