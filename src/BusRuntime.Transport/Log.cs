using Microsoft.Extensions.Logging;

namespace BusRuntime.Transport;

internal static partial class Log
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "The bus did not stop within the shutdown timeout; the sidecar stops without waiting for it (the broker redelivers what was not acknowledged)")]
    public static partial void StopAbandoned(ILogger logger);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "The broker refused a publish on {Connection}; closing the connection so that the bus opens new channels (one made during a quorum queue's failover can keep refusing)")]
    public static partial void PublishRejected(ILogger logger, string connection);

    [LoggerMessage(EventId = 702, Level = LogLevel.Debug, Message = "The connection that refused a publish could not be closed; it is being replaced already")]
    public static partial void PublishRejectedRecoveryFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "The connection to the broker was lost ({ReplyCode} {ReplyText}); {Count} sends waiting for their confirm on it fail now")]
    public static partial void SendsInterrupted(ILogger logger, int count, ushort replyCode, string replyText);

    [LoggerMessage(EventId = 704, Level = LogLevel.Debug, Message = "Could not watch the bus's new connection; it went away again")]
    public static partial void ConnectionWatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 705, Level = LogLevel.Information, Message = "Restarting receive endpoint {Address}: it was not consuming {Grace} after the bus reconnected (MassTransit's receive back-off)")]
    public static partial void EndpointRestarted(ILogger logger, Uri address, TimeSpan grace);

    [LoggerMessage(EventId = 706, Level = LogLevel.Warning, Message = "Receive endpoint {Address} could not be restarted; MassTransit retries it after its back-off")]
    public static partial void EndpointRestartFailed(ILogger logger, Uri address, Exception exception);

    [LoggerMessage(EventId = 2130, Level = LogLevel.Warning, Message = "Input binding {Binding} rejected a message of {Bytes} bytes from queue {Queue}, over BusRuntime:MaxPayloadBytes ({Limit}); it goes to the queue's dead-letter exchange if it has one, else it is dropped")]
    public static partial void InputBindingMessageTooLarge(ILogger logger, string binding, string queue, int bytes, int limit);
}
