using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.Journal;

internal static partial class Log
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "The journal's buffer is full (BusRuntime:Journal:BufferSize entries or BufferBytes bytes): journal entries are being dropped (counted in busruntime.journal.dropped) until the writer catches up")]
    public static partial void BufferFull(ILogger logger);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "The journal store failed: {Count} journal entries were dropped (counted in busruntime.journal.dropped); further failures are not logged until a write succeeds")]
    public static partial void StoreFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "The journal is writing again")]
    public static partial void Recovered(ILogger logger);

    [LoggerMessage(EventId = 503, Level = LogLevel.Debug, Message = "Deleted {Count} journal entries older than {Cutoff}")]
    public static partial void Swept(ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 504, Level = LogLevel.Warning, Message = "Deleting old journal entries failed; trying again at the next sweep")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "The journal could not write {Count} journal entries in the {Seconds} s a stopping sidecar gives it; they are lost (counted in busruntime.journal.dropped as shutdown)")]
    public static partial void ShutdownDropped(ILogger logger, int count, double seconds);
}
