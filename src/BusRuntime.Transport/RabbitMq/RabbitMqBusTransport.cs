using BusRuntime.Core.Transport;
using MassTransit;

namespace BusRuntime.Transport.RabbitMq;

/// <summary>RabbitMQ: durable queues, publisher confirms, one fanout exchange per topic and per invoked app.</summary>
public sealed class RabbitMqBusTransport : IBusTransport
{
    public string Name => TransportOptions.RabbitMqName;

    public bool ReportsUnroutable => true;

    public void BindTopic(IReceiveEndpointConfigurator endpoint, string exchangeName) => RabbitMq(endpoint).Bind(exchangeName);

    public void BindInvokeQueue(IReceiveEndpointConfigurator endpoint, string exchangeName)
    {
        var rabbitMq = RabbitMq(endpoint);

        // The queue goes with its last consumer. The exchange callers send to stays (durable, as
        // MassTransit declares it on send), so with no queue bound a mandatory publish comes back at
        // once. Durable only because MassTransit makes a queue that is auto-delete and not durable
        // exclusive to one connection, and replicas share this one; requests are sent non-persistent,
        // so nothing is written to disk either way.
        rabbitMq.Durable = true;
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

    private static IRabbitMqReceiveEndpointConfigurator RabbitMq(IReceiveEndpointConfigurator endpoint) =>
        endpoint as IRabbitMqReceiveEndpointConfigurator
            ?? throw new InvalidOperationException($"The RabbitMq transport cannot bind a {endpoint.GetType().Name}.");
}
