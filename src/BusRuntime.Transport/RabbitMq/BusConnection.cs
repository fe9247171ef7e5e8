using MassTransit;
using MassTransit.RabbitMqTransport;
using MassTransit.RabbitMqTransport.Configuration;
using MassTransit.Transports;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace BusRuntime.Transport.RabbitMq;

/// <summary>
/// The bus's own connection to the broker, as MassTransit's connection supervisor holds it: the one every endpoint
/// and send uses (MassTransit connects first if it holds none). Resolved lazily, as the bus is built after the
/// services that use this.
/// </summary>
public sealed class BusConnection(IServiceProvider services)
{
    /// <summary>Runs <paramref name="use"/> on the bus's current connection.</summary>
    public Task UseAsync(Func<IConnection, Task> use, CancellationToken cancellationToken)
    {
        var host = (IRabbitMqHostConfiguration)services.GetRequiredService<IBusInstance>().HostConfiguration;
        return host.ConnectionContextSupervisor.Send(Pipe.ExecuteAsync<ConnectionContext>(context => use(context.Connection)), cancellationToken);
    }
}
