using BusRuntime.Core.Transport;
using MassTransit;

namespace BusRuntime.Transport.InMemory;

/// <summary>MassTransit's in-memory transport: the whole bus lives in this process.</summary>
public sealed class InMemoryBusTransport : IBusTransport
{
    public string Name => TransportOptions.InMemoryName;

    public bool ReportsUnroutable => false;

    public void BindTopic(IReceiveEndpointConfigurator endpoint, string exchangeName) => InMemory(endpoint).Bind(exchangeName);

    // One process: there is no node to lose and no other queue type.
    public void ConfigureSharedQueue(IReceiveEndpointConfigurator endpoint)
    {
    }

    // The endpoint stops with the sidecar, and so does the whole bus: there is nothing to delete.
    public void BindInvokeQueue(IReceiveEndpointConfigurator endpoint, string exchangeName) => InMemory(endpoint).Bind(exchangeName);

    public void RequireRoute(SendContext context)
    {
    }

    public bool IsUnroutable(Exception exception) => false;

    private static IInMemoryReceiveEndpointConfigurator InMemory(IReceiveEndpointConfigurator endpoint) =>
        endpoint as IInMemoryReceiveEndpointConfigurator
            ?? throw new InvalidOperationException($"The in-memory transport cannot bind a {endpoint.GetType().Name}.");

    // The bus is this process: there is no connection to lose.
    public bool IsConnectionLost(Exception exception) => false;

    public bool IsRefused(Exception exception) => false;
}
