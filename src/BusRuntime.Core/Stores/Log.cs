using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.Stores;

internal static partial class Log
{
    [LoggerMessage(EventId = 440, Level = LogLevel.Debug, Message = "Deleted {Count} expired entries of {StoreName}")]
    public static partial void Swept(ILogger logger, int count, string storeName);

    [LoggerMessage(EventId = 441, Level = LogLevel.Warning, Message = "Deleting the expired entries of {StoreName} failed; trying again at the next sweep")]
    public static partial void SweepFailed(ILogger logger, string storeName, Exception exception);
}
