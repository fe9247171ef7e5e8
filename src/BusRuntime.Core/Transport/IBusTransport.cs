using MassTransit;

namespace BusRuntime.Core.Transport;

/// <summary>What differs between the bus transports once the bus is configured.</summary>
public interface IBusTransport
{
    /// <summary>The transport's name as configured: "InMemory" or "RabbitMq".</summary>
    string Name { get; }

    /// <summary>
    /// True when the bus spans processes (RabbitMQ) and tells a sender that no queue took its message;
    /// false when the bus is this process alone (in-memory), where only this sidecar can answer.
    /// </summary>
    bool ReportsUnroutable { get; }

    /// <summary>
    /// Binds a receive endpoint's queue to a topic exchange, so the queue gets every event of the topic; the queue
    /// outlives its consumers (as <see cref="ConfigureSharedQueue"/>).
    /// </summary>
    void BindTopic(IReceiveEndpointConfigurator endpoint, string exchangeName);

    /// <summary>
    /// Makes a receive endpoint's queue one that outlives its consumers and is shared by sidecars (a workflow
    /// queue): on a RabbitMQ cluster, a quorum queue, replicated on a majority of the nodes.
    /// </summary>
    void ConfigureSharedQueue(IReceiveEndpointConfigurator endpoint);

    /// <summary>
    /// Makes a receive endpoint's queue an app's invoke queue: bound to the exchange callers send to, and
    /// gone with its last consumer, so that a request for an app with no live replica finds no queue.
    /// </summary>
    void BindInvokeQueue(IReceiveEndpointConfigurator endpoint, string exchangeName);

    /// <summary>Asks the transport to fail this send when no queue takes the message, where it can tell.</summary>
    void RequireRoute(SendContext context);

    /// <summary>Whether a send failed because no queue took the message (see <see cref="RequireRoute"/>).</summary>
    bool IsUnroutable(Exception exception);

    /// <summary>
    /// Whether a send failed because the connection to the broker was lost (a node died or closed it): the message
    /// may or may not have been taken, and a new connection, to another node of a cluster, may take it again.
    /// </summary>
    bool IsConnectionLost(Exception exception);

    /// <summary>
    /// Whether the broker refused the message (RabbitMQ: a basic.nack, as when a quorum queue it goes to has lost its
    /// leader): it was not taken, and sending it again may succeed.
    /// </summary>
    bool IsRefused(Exception exception);
}
