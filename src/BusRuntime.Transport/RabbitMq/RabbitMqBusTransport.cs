using BusRuntime.Core.Transport;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace BusRuntime.Transport.RabbitMq;

/// <summary>
/// RabbitMQ: durable queues, publisher confirms, one fanout exchange per topic and per invoked app. With
/// <paramref name="quorumQueues"/> (a cluster), the queues that outlive their consumers are quorum queues: replicated
/// on a majority of the nodes, confirmed once a majority has the message, available while a majority runs.
/// </summary>
public sealed class RabbitMqBusTransport(bool quorumQueues = false) : IBusTransport
{
    public string Name => TransportOptions.RabbitMqName;

    public bool ReportsUnroutable => true;

    /// <summary>Whether the queues that outlive their consumers are quorum queues.</summary>
    public bool QuorumQueues => quorumQueues;

    public void BindTopic(IReceiveEndpointConfigurator endpoint, string exchangeName)
    {
        var rabbitMq = RabbitMq(endpoint);
        Share(rabbitMq);
        rabbitMq.Bind(exchangeName);
    }

    public void ConfigureSharedQueue(IReceiveEndpointConfigurator endpoint) => Share(RabbitMq(endpoint));

    public void BindInvokeQueue(IReceiveEndpointConfigurator endpoint, string exchangeName)
    {
        var rabbitMq = RabbitMq(endpoint);

        // The queue goes with its last consumer. The exchange callers send to stays (durable, as
        // MassTransit declares it on send), so with no queue bound a mandatory publish comes back at
        // once. Requests are sent non-persistent, so nothing is written to disk either way.
        if (quorumQueues)
        {
            // A durable classic queue is down while its home node is, and cannot be declared again elsewhere
            // ("home node ... is down"); a quorum queue cannot go with its last consumer. A transient one is
            // deleted with its node, and the replicas' reconnects declare it again on a live node; the requests
            // it held are lost with it, which their callers see as their deadline (docs/operations.md).
            rabbitMq.Durable = false;
            rabbitMq.Exclusive = false;
        }
        else
        {
            // Durable only because MassTransit makes a queue that is auto-delete and not durable exclusive to one
            // connection unless told otherwise, and replicas share this one.
            rabbitMq.Durable = true;
        }

        rabbitMq.AutoDelete = true;
        rabbitMq.Bind(exchangeName);
    }

    public void RequireRoute(SendContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.TryGetPayload<RabbitMqSendContext>(out var rabbitMq))
        {
            rabbitMq.Mandatory = true;
        }
    }

    public bool IsUnroutable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is MessageReturnedException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The connection closed under the send: lost by the client (541, "Unable to read data from the transport
    /// connection") or closed by a node that stops (320, CONNECTION_FORCED). A channel closed by an error of its own
    /// carries the failing method's reply code instead.
    /// </summary>
    public bool IsConnectionLost(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is OperationInterruptedException { ShutdownReason.ReplyCode: Constants.ConnectionForced or Constants.InternalError })
            {
                return true;
            }
        }

        return false;
    }

    // Its _error and _skipped queues copy the queue's arguments, and so are quorum queues too.
    private void Share(IRabbitMqReceiveEndpointConfigurator endpoint)
    {
        if (quorumQueues)
        {
            endpoint.SetQuorumQueue();
        }
    }

    private static IRabbitMqReceiveEndpointConfigurator RabbitMq(IReceiveEndpointConfigurator endpoint) =>
        endpoint as IRabbitMqReceiveEndpointConfigurator
            ?? throw new InvalidOperationException($"The RabbitMq transport cannot bind a {endpoint.GetType().Name}.");
}
