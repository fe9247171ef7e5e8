using BusRuntime.Core.Transport;
using MassTransit;

namespace BusRuntime.Transport.InMemory;

/// <summary>MassTransit's in-memory transport: the whole bus lives in this process.</summary>
public sealed class InMemoryBusTransport : IBusTransport
{
    public string Name => TransportOptions.InMemoryName;

    public void BindTopic(IReceiveEndpointConfigurator endpoint, string exchangeName)
    {
        var inMemory = endpoint as IInMemoryReceiveEndpointConfigurator
            ?? throw new InvalidOperationException($"The in-memory transport cannot bind a {endpoint.GetType().Name}.");
        inMemory.Bind(exchangeName);
    }
}
