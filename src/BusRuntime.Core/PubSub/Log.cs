using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.PubSub;

internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "The broker did not confirm an event on topic {Topic} within {Timeout}")]
    public static partial void PublishNotConfirmed(ILogger logger, string topic, TimeSpan timeout, Exception exception);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Publishing an event on topic {Topic} failed")]
    public static partial void PublishFailed(ILogger logger, string topic, Exception exception);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "The connection to the broker was lost before it confirmed an event on topic {Topic}")]
    public static partial void PublishConnectionLost(ILogger logger, string topic, Exception exception);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "The broker refused an event on topic {Topic}")]
    public static partial void PublishRefused(ILogger logger, string topic, Exception exception);

    [LoggerMessage(EventId = 104, Level = LogLevel.Debug, Message = "An event on topic {Topic} was stopped before it reached the broker's channel (not there after {StallLimit}, or its connection was lost); sending it again")]
    public static partial void PublishResent(ILogger logger, string topic, TimeSpan stallLimit);
}
