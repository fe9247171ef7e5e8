using BusRuntime.Core.Transport;
using MassTransit;
using MassTransit.RabbitMqTransport;
using MassTransit.RabbitMqTransport.Configuration;
using MassTransit.Transports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace BusRuntime.Transport.RabbitMq;

/// <summary>
/// Interrupts every send in flight when the bus's connection to the broker is lost. A publish whose connection
/// dies between its write and its confirm can otherwise wait forever: the broker client completes the confirms it
/// tracks when the channel shuts down, but one registered in that very moment is missed, and MassTransit's send
/// does not end on cancellation while it waits for it. The watch attaches to each new connection once an
/// endpoint is ready on it, so it never opens a connection itself.
/// </summary>
public sealed class ConnectionLossWatch(
    IServiceProvider services,
    SendInterruptions interruptions,
    ILogger<ConnectionLossWatch> logger) : IReceiveEndpointObserver
{
    private IConnection? watched;

    public Task Ready(ReceiveEndpointReady ready)
    {
        // Not inline: the endpoint's start must not wait on the connection supervisor.
        _ = Task.Run(AttachAsync);
        return Task.CompletedTask;
    }

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    private async Task AttachAsync()
    {
        try
        {
            var host = (IRabbitMqHostConfiguration)services.GetRequiredService<IBusInstance>().HostConfiguration;
            await host.ConnectionContextSupervisor.Send(Pipe.Execute<ConnectionContext>(context => Attach(context.Connection)), CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or MassTransitException or ObjectDisposedException or RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            // The connection went away again meanwhile; its successor's endpoints report ready in turn.
            Log.ConnectionWatchFailed(logger, exception);
        }
    }

    private void Attach(IConnection connection)
    {
        if (Interlocked.Exchange(ref watched, connection) == connection)
        {
            return;
        }

        connection.ConnectionShutdownAsync += OnShutdownAsync;
        if (!connection.IsOpen)
        {
            interruptions.ConnectionLost();
        }
    }

    private Task OnShutdownAsync(object? sender, ShutdownEventArgs args)
    {
        var interrupted = interruptions.ConnectionLost();
        if (interrupted > 0)
        {
            Log.SendsInterrupted(logger, interrupted, args.ReplyCode, args.ReplyText);
        }

        return Task.CompletedTask;
    }
}
