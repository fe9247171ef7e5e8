namespace BusRuntime.Core.Bindings;

/// <summary>The app, as input bindings reach it: over gRPC (AppCallback) or HTTP, as daprd calls it.</summary>
public interface IInputBindingApp
{
    /// <summary>Whether the app takes events of <paramref name="binding"/>: listed by ListInputBindings, or answered to daprd's OPTIONS probe on <paramref name="route"/>.</summary>
    Task<bool> TakesAsync(string binding, string route, CancellationToken cancellationToken);

    /// <summary>Delivers one event; true when the app took it (OK, or a 2xx), false when it failed or answered an error.</summary>
    Task<bool> DeliverAsync(string binding, string route, InputBindingEvent bindingEvent, CancellationToken cancellationToken);
}
