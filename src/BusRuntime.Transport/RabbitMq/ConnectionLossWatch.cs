using BusRuntime.Core.Transport;
using MassTransit;
using MassTransit.RabbitMqTransport;
using MassTransit.RabbitMqTransport.Configuration;
using MassTransit.Transports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace BusRuntime.Transport.RabbitMq;

/// <summary>
/// Watches the bus's connection to the broker.
/// <list type="bullet">
/// <item>When it is lost, every send in flight is interrupted. A publish whose connection dies between its write and
/// its confirm could otherwise wait forever: the broker client completes the confirms it tracks when the channel
/// shuts down, but one registered in that very moment is missed, and MassTransit's send does not end on
/// cancellation while it waits for it.</item>
/// <item>Then it connects again at once, to the next node, rather than when MassTransit's endpoints retry after
/// their back-off (seconds): readiness is UP again as soon as a node is connected (<see cref="Reconnecting"/>).</item>
/// </list>
/// It attaches to each connection once an endpoint is ready on it, or once it reconnected itself.
/// </summary>
public sealed class ConnectionLossWatch(
    IServiceProvider services,
    SendInterruptions interruptions,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<ConnectionLossWatch> logger) : IReceiveEndpointObserver
{
    /// <summary>
    /// How long after a connection loss an open connection stands for the bus while its endpoints reconnect:
    /// MassTransit's receive back-off reaches 30 s, and an endpoint still down after this is reported as it is.
    /// </summary>
    public static readonly TimeSpan ReconnectGrace = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private IConnection? watched;
    private long lostAt;
    private int reconnecting;

    /// <summary>
    /// The node the bus is connected to, if a connection was lost less than <see cref="ReconnectGrace"/> ago and a new
    /// one is open: the bus's endpoints may still be reconnecting, but the broker is reachable.
    /// </summary>
    public bool Reconnecting(out string node)
    {
        node = "";
        var lost = Interlocked.Read(ref lostAt);
        if (lost == 0 || timeProvider.GetElapsedTime(lost) >= ReconnectGrace || Volatile.Read(ref watched) is not { IsOpen: true } connection)
        {
            return false;
        }

        node = connection.Endpoint.ToString();
        return true;
    }

    public Task Ready(ReceiveEndpointReady ready)
    {
        // Not inline: the endpoint's start must not wait on the connection supervisor.
        _ = Task.Run(() => AttachAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    private async Task<bool> AttachAsync(CancellationToken cancellationToken)
    {
        try
        {
            var host = (IRabbitMqHostConfiguration)services.GetRequiredService<IBusInstance>().HostConfiguration;
            await host.ConnectionContextSupervisor.Send(Pipe.Execute<ConnectionContext>(context => Attach(context.Connection)), cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is OperationCanceledException or MassTransitException or ObjectDisposedException or RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            Log.ConnectionWatchFailed(logger, exception);
            return false;
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
            OnLost(connection.CloseReason);
        }
    }

    private Task OnShutdownAsync(object? sender, ShutdownEventArgs args)
    {
        OnLost(args);
        return Task.CompletedTask;
    }

    private void OnLost(ShutdownEventArgs? reason)
    {
        var interrupted = interruptions.ConnectionLost();
        if (interrupted > 0)
        {
            Log.SendsInterrupted(logger, interrupted, reason?.ReplyCode ?? 0, reason?.ReplyText ?? "");
        }

        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return;
        }

        Interlocked.Exchange(ref lostAt, timeProvider.GetTimestamp());
        if (Interlocked.Exchange(ref reconnecting, 1) == 0)
        {
            _ = Task.Run(ReconnectAsync);
        }
    }

    private async Task ReconnectAsync()
    {
        try
        {
            var stopping = lifetime.ApplicationStopping;
            var delay = FirstRetryDelay;
            while (!stopping.IsCancellationRequested && !await AttachAsync(stopping).ConfigureAwait(false))
            {
                await Task.Delay(delay, timeProvider, stopping).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
        catch (OperationCanceledException)
        {
            // The sidecar is stopping.
        }
        finally
        {
            Volatile.Write(ref reconnecting, 0);
        }
    }
}
