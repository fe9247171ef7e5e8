using Microsoft.Extensions.Logging;

namespace BusRuntime.Stores.Postgres.Sagas;

internal static partial class Log
{
    [LoggerMessage(EventId = 610, Level = LogLevel.Information, Message = "Saga table {Table} is ready for {SagaType}")]
    public static partial void TableReady(ILogger logger, string table, string sagaType);

    [LoggerMessage(EventId = 611, Level = LogLevel.Debug, Message = "Saga {SagaType} {CorrelationId} changed under this attempt (expected version {Version}); the message is tried again")]
    public static partial void VersionConflict(ILogger logger, string sagaType, Guid correlationId, int version);
}
