namespace BusRuntime.Contracts;

/// <summary>
/// One event published to a topic: the envelope every sidecar and every .NET service on the bus
/// exchanges for pub/sub. It is shaped as a CloudEvent 1.0; the CloudEvent <c>id</c> is the
/// MassTransit <c>MessageId</c> of the message that carries it.
/// </summary>
/// <remarks>
/// Send it to the exchange named by <see cref="TopicNames.Exchange"/> to publish, and bind a
/// queue to that exchange to subscribe (see samples/BusRuntime.Samples.BusService).
/// </remarks>
public sealed record TopicEvent
{
    /// <summary>The pub/sub component the event was published to, e.g. "pubsub".</summary>
    public required string PubsubName { get; init; }

    /// <summary>The topic, e.g. "orders".</summary>
    public required string Topic { get; init; }

    /// <summary>The app id of the publisher (CloudEvent <c>source</c>).</summary>
    public required string Source { get; init; }

    /// <summary>
    /// The CloudEvent <c>type</c>, what routing rules match and every subscriber gets: the one the publisher set, else
    /// <see cref="DaprDefaultType"/> for an event published through Dapr's API and <see cref="DefaultType"/> otherwise.
    /// </summary>
    public string Type { get; init; } = DefaultType;

    /// <summary>The CloudEvent <c>specversion</c>.</summary>
    public string SpecVersion { get; init; } = "1.0";

    /// <summary>The media type of <see cref="Data"/> (CloudEvent <c>datacontenttype</c>).</summary>
    public string DataContentType { get; init; } = "application/json";

    /// <summary>The published bytes, carried untouched.</summary>
    public byte[] Data { get; init; } = [];

    /// <summary>The publisher's metadata, passed to subscribers as CloudEvent extensions.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The event type used when a publisher names none.</summary>
    public const string DefaultType = "com.busruntime.event";

    /// <summary>The event type of an event published through Dapr's API when the publisher names none, as daprd's.</summary>
    public const string DaprDefaultType = "com.dapr.event.sent";
}
