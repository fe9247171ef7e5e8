using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.Jobs;

internal static partial class Log
{
    [LoggerMessage(EventId = 2050, Level = LogLevel.Information, Message = "The sidecar has no app port (BusRuntime:AppPort): jobs are kept but not fired")]
    public static partial void JobsWithoutApp(ILogger logger);

    [LoggerMessage(EventId = 2051, Level = LogLevel.Warning, Message = "The app did not take tick {Tick:O} of job {Job} (try {Attempt}); it is tried again at {RetryAt:O}")]
    public static partial void JobTickRetried(ILogger logger, string job, DateTimeOffset tick, int attempt, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 2052, Level = LogLevel.Warning, Message = "The app did not take tick {Tick:O} of job {Job} after {Attempts} tries; the tick is dropped as its failure policy says")]
    public static partial void JobTickDropped(ILogger logger, string job, DateTimeOffset tick, int attempts);

    [LoggerMessage(EventId = 2053, Level = LogLevel.Warning, Message = "Looking for due jobs failed: {Reason}; trying again in {Delay}")]
    public static partial void JobPollFailed(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 2054, Level = LogLevel.Information, Message = "Job {Job} ended: its ttl passed at {ExpiresAt:O}")]
    public static partial void JobExpired(ILogger logger, string job, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 2055, Level = LogLevel.Error, Message = "Job {Job} is deleted: its stored schedule cannot be read ({Reason})")]
    public static partial void JobUnreadable(ILogger logger, string job, string reason);

    [LoggerMessage(EventId = 2060, Level = LogLevel.Warning, Message = "Tick {Tick:O} of job {Job} was not taken: {Reason}")]
    public static partial void JobTickNotTaken(ILogger logger, string job, DateTimeOffset tick, string reason);

    [LoggerMessage(EventId = 2061, Level = LogLevel.Warning, Message = "A tick of job {Job} of app {OtherApp} reached this sidecar of app {AppId}; it is refused, not delivered")]
    public static partial void JobTickOfAnotherApp(ILogger logger, string job, string otherApp, string appId);

    [LoggerMessage(EventId = 2062, Level = LogLevel.Information, Message = "Taking the app's job ticks from queue {Queue}")]
    public static partial void ServingJobTicks(ILogger logger, string queue);

    [LoggerMessage(EventId = 2063, Level = LogLevel.Information, Message = "Consuming the app's jobs queue failed (attempt {Attempt}): {Reason}; retrying")]
    public static partial void JobTicksNotYet(ILogger logger, string reason, int attempt);
}
