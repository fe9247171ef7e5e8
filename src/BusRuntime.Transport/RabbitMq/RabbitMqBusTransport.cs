using BusRuntime.Core.Transport;
using MassTransit;

namespace BusRuntime.Transport.RabbitMq;

/// <summary>RabbitMQ: durable queues, publisher confirms, one fanout exchange per topic.</summary>
public sealed class RabbitMqBusTransport : IBusTransport
{
    public string Name => TransportOptions.RabbitMqName;

    public void BindTopic(IReceiveEndpointConfigurator endpoint, string exchangeName)
    {
        var rabbitMq = endpoint as IRabbitMqReceiveEndpointConfigurator
            ?? throw new InvalidOperationException($"The RabbitMq transport cannot bind a {endpoint.GetType().Name}.");
        rabbitMq.Bind(exchangeName);
    }
}
