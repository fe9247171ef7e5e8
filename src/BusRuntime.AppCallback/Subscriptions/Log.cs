using Microsoft.Extensions.Logging;

namespace BusRuntime.AppCallback.Subscriptions;

internal static partial class Log
{
    [LoggerMessage(EventId = 2150, Level = LogLevel.Error, Message = "The subscription to {PubsubName}/{Topic} ({Origin}) was rejected: {Reason}")]
    public static partial void Rejected(ILogger logger, string pubsubName, string topic, string origin, string reason);

    [LoggerMessage(EventId = 2151, Level = LogLevel.Information, Message = "Subscribed to {Subscribed} of the app's {Count} subscriptions (its own and the resource files')")]
    public static partial void Subscribed(ILogger logger, int subscribed, int count);

    [LoggerMessage(EventId = 1962, Level = LogLevel.Warning, Message = "The app is unhealthy: its {Count} subscriptions pause; their queues keep the events until it is healthy again")]
    public static partial void Paused(ILogger logger, int count);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "Subscription {Name} of {File} is not added: the app subscribes to {PubsubName}/{Topic} itself, and its own subscription is kept")]
    public static partial void DeclaredShadowed(ILogger logger, string name, string file, string pubsubName, string topic);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "The app's subscriptions did not end within the shutdown timeout; the sidecar stops without waiting for them")]
    public static partial void StopAbandoned(ILogger logger);

    [LoggerMessage(EventId = 2152, Level = LogLevel.Information,
        Message = "The resource files' subscriptions changed: {Removed} ended, {Added} added; the app has {Count} subscriptions")]
    public static partial void DeclaredFollowed(ILogger logger, int removed, int added, int count);
}
