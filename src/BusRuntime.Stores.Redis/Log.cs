using Microsoft.Extensions.Logging;

namespace BusRuntime.Stores.Redis;

internal static partial class Log
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Redis at {Server} is unreachable ({FailureType}); its components answer UNAVAILABLE until it answers again")]
    public static partial void ConnectionFailed(ILogger logger, string server, string failureType, Exception? exception);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Redis at {Server} answers again")]
    public static partial void ConnectionRestored(ILogger logger, string server);
}
