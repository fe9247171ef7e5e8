using Microsoft.Extensions.Logging;

namespace BusRuntime.Grpc.Errors;

internal static partial class Log
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Error, Message = "The call {Method} failed unexpectedly")]
    public static partial void UnexpectedFailure(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "The caller stopped following {Method}")]
    public static partial void StoppedFollowing(ILogger logger, string method);

    [LoggerMessage(EventId = 902, Level = LogLevel.Debug, Message = "The call {Method} ended before it completed, its caller gone or its deadline passed ({Exception})")]
    public static partial void CallCancelled(ILogger logger, string method, string exception);
}
