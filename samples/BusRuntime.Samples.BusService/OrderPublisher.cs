using System.Text.Json;
using BusRuntime.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace BusRuntime.Samples.BusService;

/// <summary>
/// Publishes an order every few seconds the way a sidecar does: a <see cref="TopicEvent"/> sent to the
/// topic's exchange, with a fresh message id as the CloudEvent id.
/// </summary>
public sealed class OrderPublisher(
    IBus bus,
    IOptions<BusServiceOptions> options,
    TimeProvider timeProvider,
    ILogger<OrderPublisher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = options.Value.PublishEverySeconds;
        if (seconds == 0)
        {
            Log.PublishingOff(logger);
            return;
        }

        var exchange = await bus.GetSendEndpoint(OrderTopic.ExchangeAddress);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds), timeProvider);
        var orderNumber = 0;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            orderNumber++;
            var topicEvent = new TopicEvent
            {
                PubsubName = OrderTopic.PubsubName,
                Topic = OrderTopic.Topic,
                Source = options.Value.AppId,
                Data = JsonSerializer.SerializeToUtf8Bytes(new OrderPlaced(orderNumber, timeProvider.GetUtcNow()), JsonSerializerOptions.Web),
            };
            var messageId = NewId.NextGuid();
            try
            {
                // Returns once the broker confirmed the message (publisher confirms are on).
                await exchange.Send(topicEvent, context => context.MessageId = messageId, stoppingToken);
                Log.Published(logger, messageId, orderNumber);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A broker that is away is reported; the next tick publishes the next order.
                Log.PublishFailed(logger, orderNumber, exception);
            }
        }
    }
}
