using Microsoft.Extensions.Logging;

namespace BusRuntime.Grpc.Errors;

internal static partial class Log
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Error, Message = "The call {Method} failed unexpectedly")]
    public static partial void UnexpectedFailure(ILogger logger, string method, Exception exception);
}
