namespace BusRuntime.Samples.BusService;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Received event {MessageId} from {Source}, type {Type}: {Data}")]
    public static partial void Received(ILogger logger, Guid? messageId, string source, string type, string data);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Published order {OrderNumber} as event {MessageId}")]
    public static partial void Published(ILogger logger, Guid messageId, int orderNumber);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Order {OrderNumber} was not published; trying again at the next tick")]
    public static partial void PublishFailed(ILogger logger, int orderNumber, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Publishing is off (BusRuntime:PublishEverySeconds = 0); consuming only")]
    public static partial void PublishingOff(ILogger logger);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information,
        Message = "Joining the bus at {Broker} as app {AppId}: topic {Topic} through queue {Queue}, bound to exchange {Exchange}; invocations through queue {InvokeQueue}")]
    public static partial void Joining(ILogger logger, string broker, string appId, string topic, string queue, string exchange, string invokeQueue);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Answered {Method} for {Source} with status {StatusCode}")]
    public static partial void Answered(ILogger logger, string method, string source, int statusCode);
}
