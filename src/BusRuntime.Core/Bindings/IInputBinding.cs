namespace BusRuntime.Core.Bindings;

/// <summary>
/// An input binding component: reads events from outside the sidecar (a schedule, a queue of the broker) and hands each to
/// the app through a handler, until stopped. The handler answers whether the app took the event: a binding that can
/// (a queue) acknowledges it then, and gives it back to be read again otherwise.
/// </summary>
public interface IInputBinding
{
    /// <summary>Reads until <paramref name="cancellationToken"/> is cancelled; each event waits for <paramref name="handler"/>'s answer.</summary>
    Task ReadAsync(Func<InputBindingEvent, CancellationToken, Task<bool>> handler, CancellationToken cancellationToken);
}
