using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.Bindings;

internal static partial class Log
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Input binding {Binding} delivers to the app at /{Route}")]
    public static partial void InputBindingStarted(ILogger logger, string binding, string route);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "The app does not take events of input binding {Binding} (not listed by ListInputBindings, or no answer to OPTIONS /{Route}); it is not read")]
    public static partial void InputBindingNotTaken(ILogger logger, string binding, string route);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Asking the app whether it takes input binding {Binding} failed (attempt {Attempt}): {Reason}; retrying")]
    public static partial void InputBindingProbeFailed(ILogger logger, string binding, int attempt, string reason);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Input binding {Binding} stopped reading: {Reason}; it starts again in {Delay}")]
    public static partial void InputBindingFailed(ILogger logger, string binding, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "The app did not take an event of input binding {Binding}: {Reason}")]
    public static partial void InputBindingEventFailed(ILogger logger, string binding, string reason);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Information, Message = "The sidecar has no app port (BusRuntime:AppPort): its {Count} input bindings are not read")]
    public static partial void InputBindingsWithoutApp(ILogger logger, int count);
}
