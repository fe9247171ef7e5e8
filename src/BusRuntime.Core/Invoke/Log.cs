using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.Invoke;

internal static partial class Log
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Serving invoke requests for app {AppId} from queue {Queue}")]
    public static partial void Serving(ILogger logger, string appId, string queue);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Stopped serving invoke requests for app {AppId}")]
    public static partial void StoppedServing(ILogger logger, string appId);

    [LoggerMessage(EventId = 402, Level = LogLevel.Debug, Message = "Skipped request {RequestId} from {Source} for method {Method}: it expired {Ago} ago, before it was taken")]
    public static partial void SkippedExpired(ILogger logger, Guid? requestId, string source, string method, TimeSpan ago);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "Request {RequestId} from {Source} for method {Method} expired while the app worked on it; no answer is sent")]
    public static partial void ExpiredWhileServing(ILogger logger, Guid? requestId, string source, string method);

    [LoggerMessage(EventId = 404, Level = LogLevel.Error, Message = "Answering request {RequestId} from {Source} for method {Method} failed")]
    public static partial void ServeFailed(ILogger logger, Guid? requestId, string source, string method, Exception exception);

    [LoggerMessage(EventId = 405, Level = LogLevel.Debug, Message = "Refused request {RequestId} from {Source} for method {Method}: {Reason}")]
    public static partial void Refused(ILogger logger, Guid? requestId, string source, string method, string reason);

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "Retrying method {Method} of app {Target} (attempt {Attempt}) in {Delay} after {Reason}")]
    public static partial void Retrying(ILogger logger, string target, string method, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "Circuit breaker for app {Target} opened for {BreakDuration} after {Reason}")]
    public static partial void BreakerOpened(ILogger logger, string target, TimeSpan breakDuration, string reason);

    [LoggerMessage(EventId = 412, Level = LogLevel.Information, Message = "Circuit breaker for app {Target} is half-open: the next call probes it")]
    public static partial void BreakerHalfOpened(ILogger logger, string target);

    [LoggerMessage(EventId = 413, Level = LogLevel.Information, Message = "Circuit breaker for app {Target} closed: calls flow again")]
    public static partial void BreakerClosed(ILogger logger, string target);

    [LoggerMessage(EventId = 414, Level = LogLevel.Debug, Message = "Call to method {Method} of app {Target} rejected: its circuit breaker is open")]
    public static partial void BreakerRejected(ILogger logger, string target, string method);

    [LoggerMessage(EventId = 415, Level = LogLevel.Warning, Message = "Call to method {Method} of app {Target} timed out after {Timeout} (its Timeout)")]
    public static partial void AttemptTimedOut(ILogger logger, string target, string method, TimeSpan timeout);

    [LoggerMessage(EventId = 416, Level = LogLevel.Warning, Message = "Call to method {Method} of app {Target} rejected: {Limit} calls in flight and {Queue} waiting (its ConcurrencyLimit and QueueLimit)")]
    public static partial void LimiterRejected(ILogger logger, string target, string method, int limit, int queue);

    [LoggerMessage(EventId = 417, Level = LogLevel.Debug, Message = "No replica of app {Target} took a request for method {Method}")]
    public static partial void NoReplica(ILogger logger, string target, string method);
}
