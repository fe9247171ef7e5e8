using Microsoft.Extensions.Logging;

namespace BusRuntime.Http.Dapr;

internal static partial class Log
{
    [LoggerMessage(EventId = 950, Level = LogLevel.Error, Message = "Dapr HTTP route {Route} failed unexpectedly")]
    public static partial void UnexpectedFailure(ILogger logger, string route, Exception exception);
}
