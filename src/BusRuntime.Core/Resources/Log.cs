using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.Resources;

internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Read {Files} resource files: components {Components}; subscriptions {Subscriptions}")]
    public static partial void Loaded(ILogger logger, int files, string components, string subscriptions);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Resource files: {Note}")]
    public static partial void Note(ILogger logger, string note);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Resource file {File}: component {Name} ({Type}) {Change} while the sidecar runs")]
    public static partial void Reloaded(ILogger logger, string file, string name, string type, string change);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Resource file {File}: {Name} changed, but {Reason}: restart the sidecar to apply it")]
    public static partial void NeedsRestart(ILogger logger, string file, string name, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Resource file {File}: component {Name} was not reloaded, the running one stays: {Reason}")]
    public static partial void ReloadRefused(ILogger logger, string file, string name, string reason);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "The resource files changed but cannot be read; the running components stay: {Reason}")]
    public static partial void ReloadUnreadable(ILogger logger, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Resource files {Files}: the declared subscriptions changed ({Count} now); the app's channel subscribes to match")]
    public static partial void SubscriptionsReloaded(ILogger logger, string files, int count);
}
