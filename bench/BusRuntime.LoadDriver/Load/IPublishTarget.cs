namespace BusRuntime.LoadDriver.Load;

/// <summary>One way of publishing an event; a call completes when the broker has confirmed it.</summary>
public interface IPublishTarget
{
    /// <summary>The label the report shows, e.g. "(a) MassTransit direct".</summary>
    string Name { get; }

    Task PublishAsync(CancellationToken cancellationToken);
}
