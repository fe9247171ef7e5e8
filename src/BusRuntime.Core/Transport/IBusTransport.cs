using MassTransit;

namespace BusRuntime.Core.Transport;

/// <summary>What differs between the bus transports once the bus is configured.</summary>
public interface IBusTransport
{
    /// <summary>The transport's name as configured: "InMemory" or "RabbitMq".</summary>
    string Name { get; }

    /// <summary>Binds a receive endpoint's queue to a topic exchange, so the queue gets every event of the topic.</summary>
    void BindTopic(IReceiveEndpointConfigurator endpoint, string exchangeName);
}
