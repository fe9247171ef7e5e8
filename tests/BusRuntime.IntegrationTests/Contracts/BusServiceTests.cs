using BusRuntime.Contracts;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using MassTransit;

namespace BusRuntime.IntegrationTests.Contracts;

/// <summary>A .NET service on the same bus with its own MassTransit bus and BusRuntime.Contracts, next to sidecars.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class BusServiceTests(RabbitMqFixture broker)
{
    [Fact]
    public async Task TopicEvent_PublishedBySidecar_ServiceQueueBoundToTheTopicExchangeReceivesItWithThePublishedId()
    {
        await using var entities = broker.Track();
        var topic = entities.Topic("orders");
        var serviceQueue = RabbitMqFixture.Unique("inventory-service");
        entities.Queue(serviceQueue);
        var received = new TaskCompletionSource<(Guid? MessageId, TopicEvent Event)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var service = await ServiceBus.StartAsync(bus =>
            bus.ReceiveEndpoint(serviceQueue, endpoint =>
            {
                endpoint.ConfigureConsumeTopology = false;
                endpoint.Bind(TopicNames.Exchange(RabbitMqFixture.PubsubName, topic));
                endpoint.Handler<TopicEvent>(context =>
                {
                    received.TrySetResult((context.MessageId, context.Message));
                    return Task.CompletedTask;
                });
            }));
        await using var publisher = await TestSidecar.StartAsync(RabbitMqFixture.Unique("shop"), RabbitMqFixture.Settings());
        var response = await publisher.Runtime.PublishEventAsync(new PublishEventRequest
        {
            PubsubName = RabbitMqFixture.PubsubName,
            Topic = topic,
            Data = ByteString.CopyFromUtf8("""{"sku":"A-1"}"""),
            DataContentType = "application/json",
            Metadata = { ["tenant"] = "acme" },
        });

        var (messageId, topicEvent) = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(response.MessageId, messageId?.ToString());
        Assert.Equal(topic, topicEvent.Topic);
        Assert.Equal(RabbitMqFixture.PubsubName, topicEvent.PubsubName);
        Assert.Equal("""{"sku":"A-1"}""", System.Text.Encoding.UTF8.GetString(topicEvent.Data));
        Assert.Equal("acme", topicEvent.Metadata["tenant"]);
        Assert.Equal(TopicEvent.DefaultType, topicEvent.Type);
    }

    [Fact]
    public async Task TopicEvent_SentByServiceToTheTopicExchange_SidecarSubscriberReceivesItWithTheServiceMessageId()
    {
        await using var entities = broker.Track();
        var topic = entities.Topic("stock");
        var appId = RabbitMqFixture.Unique("shop");
        entities.Subscription(appId, topic);
        await using var app = await SubscriberApp.StartAsync((RabbitMqFixture.PubsubName, topic));
        await using var sidecar = await TestSidecar.StartAsync(appId, RabbitMqFixture.Settings(), app.Port);
        await sidecar.WaitForSubscriptionsAsync(1);
        await using var service = await ServiceBus.StartAsync();
        var messageId = NewId.NextGuid();

        var exchange = await service.Bus.GetSendEndpoint(new Uri($"exchange:{TopicNames.Exchange(RabbitMqFixture.PubsubName, topic)}"));
        await exchange.Send(
            new TopicEvent
            {
                PubsubName = RabbitMqFixture.PubsubName,
                Topic = topic,
                Source = "inventory-service",
                Type = "stock.changed",
                DataContentType = "text/plain",
                Data = "42"u8.ToArray(),
                Metadata = new Dictionary<string, string> { ["warehouse"] = "north" },
            },
            context => context.MessageId = messageId);
        await app.WaitForAsync(1, TimeSpan.FromSeconds(10));

        var received = Assert.Single(app.Received);
        Assert.Equal(messageId.ToString(), received.Id);
        Assert.Equal("inventory-service", received.Source);
        Assert.Equal("stock.changed", received.Type);
        Assert.Equal("text/plain", received.DataContentType);
        Assert.Equal("42", received.Data.ToStringUtf8());
        Assert.Equal(topic, received.Topic);
        Assert.Equal("north", received.Extensions.Fields["warehouse"].StringValue);
    }
}
