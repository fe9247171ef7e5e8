using Microsoft.Extensions.Logging;

namespace BusRuntime.AppCallback.Bindings;

internal static partial class Log
{
    [LoggerMessage(EventId = 2140, Level = LogLevel.Error, Message = "The app's answer to an event of input binding {Binding} sent data to output binding {Target}, which failed: {Reason}")]
    public static partial void OutputFromAppFailed(ILogger logger, string binding, string target, string reason);
}
