using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.AppConfiguration;

internal static partial class Log
{
    [LoggerMessage(EventId = 420, Level = LogLevel.Warning,
        Message = "The change to {AppId}/{Group}/{Label}/{Key} in configuration store {StoreName} committed, but its ConfigurationChanged event was not published; sidecars read the store again when their bus reconnects")]
    public static partial void ChangeEventNotPublished(ILogger logger, string storeName, string appId, string group, string label, string key, Exception exception);

    [LoggerMessage(EventId = 421, Level = LogLevel.Warning, Message = "Reading configuration store {StoreName} again for a subscriber of app {AppId} failed; trying again in {Delay}")]
    public static partial void RereadFailed(ILogger logger, string storeName, string appId, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 422, Level = LogLevel.Information, Message = "Receiving configuration changes on {Queue}")]
    public static partial void Listening(ILogger logger, Uri queue);
}
