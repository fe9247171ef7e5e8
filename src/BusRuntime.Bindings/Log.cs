using Microsoft.Extensions.Logging;

namespace BusRuntime.Bindings;

internal static partial class Log
{
    [LoggerMessage(EventId = 2120, Level = LogLevel.Warning, Message = "Cron binding {Binding} skipped its tick of {Tick}: the lock store {LockStore} could not be asked ({Reason})")]
    public static partial void CronTickSkipped(ILogger logger, string binding, DateTimeOffset tick, string lockStore, string reason);

    [LoggerMessage(EventId = 2121, Level = LogLevel.Warning, Message = "Cron binding {Binding}'s schedule never fires again")]
    public static partial void CronNeverFiresAgain(ILogger logger, string binding);
}
