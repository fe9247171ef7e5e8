using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.Subscriptions;

internal static partial class Log
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Subscribed to {PubsubName}/{Topic} on queue {Queue}")]
    public static partial void Subscribed(ILogger logger, string pubsubName, string topic, string queue);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Stopped consuming {PubsubName}/{Topic}: no subscriber is left; its queue keeps new events")]
    public static partial void Unsubscribed(ILogger logger, string pubsubName, string topic);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Event {MessageId} on topic {Topic} found no subscriber within {Timeout}; it will be retried")]
    public static partial void NoHandler(ILogger logger, string messageId, string topic, TimeSpan timeout);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Event {MessageId} on topic {Topic} was not answered within {Timeout}; it will be retried")]
    public static partial void DeliveryTimedOut(ILogger logger, string messageId, string topic, TimeSpan timeout);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "Delivering event {MessageId} on topic {Topic} failed; it will be retried")]
    public static partial void DeliveryFailed(ILogger logger, string messageId, string topic, Exception exception);

    [LoggerMessage(EventId = 1900, Level = LogLevel.Information, Message = "Event {MessageId} on topic {Topic} matches no routing rule of its subscriber, which has no default route; it is acknowledged without delivery")]
    public static partial void NoRoute(ILogger logger, string messageId, string topic);

    [LoggerMessage(EventId = 1901, Level = LogLevel.Warning, Message = "Event {MessageId} on topic {Topic} was {Reason}; it was published to the dead-letter topic {DeadLetterTopic}")]
    public static partial void DeadLettered(ILogger logger, string messageId, string topic, string reason, string deadLetterTopic);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Warning, Message = "Event {MessageId} on topic {Topic} expired at {Expiration} (its publisher's ttlInSeconds); it is acknowledged without delivery")]
    public static partial void Expired(ILogger logger, string messageId, string topic, string expiration);
}
