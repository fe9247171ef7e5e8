using Microsoft.Extensions.Logging;

namespace BusRuntime.AppCallback.Health;

internal static partial class Log
{
    [LoggerMessage(EventId = 1970, Level = LogLevel.Information, Message = "App health probes starting: {Probe} every {Interval}, timeout {Timeout}, unhealthy after {Threshold} failures in a row")]
    public static partial void ProbesStarting(ILogger logger, string probe, TimeSpan interval, TimeSpan timeout, int threshold);

    [LoggerMessage(EventId = 1971, Level = LogLevel.Information, Message = "The app entered healthy status")]
    public static partial void Healthy(ILogger logger);

    [LoggerMessage(EventId = 1972, Level = LogLevel.Warning, Message = "The app entered unhealthy status after {Threshold} failed probes: {Reason}")]
    public static partial void Unhealthy(ILogger logger, int threshold, string reason);
}
