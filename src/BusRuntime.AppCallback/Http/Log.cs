using Microsoft.Extensions.Logging;

namespace BusRuntime.AppCallback.Http;

internal static partial class Log
{
    [LoggerMessage(EventId = 1950, Level = LogLevel.Information, Message = "The HTTP app lists {Count} subscriptions on GET /dapr/subscribe")]
    public static partial void SubscriptionsListed(ILogger logger, int count);

    [LoggerMessage(EventId = 1951, Level = LogLevel.Error, Message = "The HTTP app's subscription list was not used: {Reason}")]
    public static partial void SubscriptionListRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 1952, Level = LogLevel.Error, Message = "The HTTP app's GET /dapr/subscribe: {Problem}")]
    public static partial void SubscriptionEntryRejected(ILogger logger, string problem);

    [LoggerMessage(EventId = 1953, Level = LogLevel.Information, Message = "The HTTP app answered GET /dapr/subscribe with 404: it subscribes to no topic")]
    public static partial void NoSubscriptions(ILogger logger);

    [LoggerMessage(EventId = 1954, Level = LogLevel.Error, Message = "The HTTP app answered GET /dapr/subscribe with status {StatusCode}; it subscribes to no topic (daprd reads only 200 and 404)")]
    public static partial void SubscriptionListFailed(ILogger logger, int statusCode);

    [LoggerMessage(EventId = 1955, Level = LogLevel.Error, Message = "The HTTP app's subscription to {PubsubName}/{Topic} was rejected: {Reason}")]
    public static partial void SubscriptionRejected(ILogger logger, string pubsubName, string topic, string reason);

    [LoggerMessage(EventId = 1957, Level = LogLevel.Error, Message = "The HTTP app answered event {MessageId} on topic {Topic} with 404 at {Path}: the event is dropped. Body: {Body}")]
    public static partial void EventNotFound(ILogger logger, string messageId, string topic, string path, string body);

    [LoggerMessage(EventId = 1958, Level = LogLevel.Warning, Message = "The HTTP app answered event {MessageId} on topic {Topic} with status {StatusCode} at {Path}; it will be retried. Body: {Body}")]
    public static partial void EventFailed(ILogger logger, string messageId, string topic, int statusCode, string path, string body);

    [LoggerMessage(EventId = 1959, Level = LogLevel.Warning, Message = "The HTTP app answered event {MessageId} on topic {Topic} with status {Status}; it will be retried")]
    public static partial void EventStatusUnknown(ILogger logger, string messageId, string topic, string status);

    [LoggerMessage(EventId = 1960, Level = LogLevel.Warning, Message = "The HTTP app answered event {MessageId} on topic {Topic} with DROP: the event is dropped")]
    public static partial void EventDropped(ILogger logger, string messageId, string topic);

    [LoggerMessage(EventId = 1963, Level = LogLevel.Error, Message = "Sending a configuration change to the HTTP app at POST {Path} failed: {Reason}")]
    public static partial void ConfigurationPushFailed(ILogger logger, string path, string reason);
}
