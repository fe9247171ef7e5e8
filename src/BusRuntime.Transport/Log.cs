using Microsoft.Extensions.Logging;

namespace BusRuntime.Transport;

internal static partial class Log
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "The bus did not stop within the shutdown timeout; the sidecar stops without waiting for it (the broker redelivers what was not acknowledged)")]
    public static partial void StopAbandoned(ILogger logger);
}
