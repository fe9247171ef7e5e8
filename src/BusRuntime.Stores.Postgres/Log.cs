using Microsoft.Extensions.Logging;

namespace BusRuntime.Stores.Postgres;

internal static partial class Log
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "BusRuntime's tables are ready in PostgreSQL schema {Schema} on {Server}; migrations applied now: {Applied}")]
    public static partial void SchemaReady(ILogger logger, string schema, string server, string applied);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "A PostgreSQL transaction in schema {Schema} failed with {SqlState} and is tried again (retry {Attempt})")]
    public static partial void TransactionRetried(ILogger logger, string schema, string sqlState, int attempt);
}
