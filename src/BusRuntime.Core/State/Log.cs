using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.State;

internal static partial class Log
{
    [LoggerMessage(EventId = 430, Level = LogLevel.Warning, Message = "The write to key {Key} of state store {StoreName} committed, but its StateChanged event was not published")]
    public static partial void ChangeEventNotPublished(ILogger logger, string storeName, string key, Exception exception);
}
