using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.Resources;

internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Read {Files} resource files: components {Components}; subscriptions {Subscriptions}")]
    public static partial void Loaded(ILogger logger, int files, string components, string subscriptions);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Resource files: {Note}")]
    public static partial void Note(ILogger logger, string note);
}
