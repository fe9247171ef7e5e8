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
    /// <summary>
    /// How long an invoke queue on a cluster outlives its last replica: longer than the replicas take to reconnect
    /// after a node's loss (MassTransit's back-off reaches 30 s), and as long as a request to an app with no replica
    /// left waits for its deadline rather than failing at once.
    /// </summary>
    public static readonly TimeSpan InvokeQueueExpiry = TimeSpan.FromSeconds(60);

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

        // The exchange callers send to stays (durable, as MassTransit declares it on send), so with no queue
        // bound a mandatory publish comes back at once.
        if (quorumQueues)
        {
            // A durable classic queue is down while its home node is, and cannot be declared again elsewhere
            // ("home node ... is down"); a quorum queue cannot be auto-delete. So on a cluster the queue is a quorum
            // queue that RabbitMQ deletes once no replica has used it for InvokeQueueExpiry: the requests it holds
            // outlive a node, and wait for the replicas to reconnect to another (docs/operations.md).
            rabbitMq.SetQuorumQueue();
            rabbitMq.AutoDelete = false;
            rabbitMq.SetQueueArgument("x-expires", (long)InvokeQueueExpiry.TotalMilliseconds);
        }
        else
        {
            // The queue goes with its last consumer. Durable only because MassTransit makes a queue that is
            // auto-delete and not durable exclusive to one connection, and replicas share this one; requests are
            // sent non-persistent, so nothing is written to disk either way.
            rabbitMq.Durable = true;
            rabbitMq.AutoDelete = true;
        }

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

    /// <summary>A basic.nack: RabbitMQ.Client's PublishException that is not a return of an unroutable message.</summary>
    public bool IsRefused(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is RabbitMQ.Client.Exceptions.PublishException { IsReturn: false })
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
