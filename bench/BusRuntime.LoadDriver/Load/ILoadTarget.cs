namespace BusRuntime.LoadDriver.Load;

/// <summary>One way of making the call a phase measures: a publish the broker confirmed, a state read, …</summary>
public interface ILoadTarget
{
    /// <summary>The label the report shows, e.g. "(a) MassTransit direct".</summary>
    string Name { get; }

    Task CallAsync(CancellationToken cancellationToken);
}
