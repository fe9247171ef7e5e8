using System.Collections.Concurrent;
using BusRuntime.Core.Transport;
using MassTransit;
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
/// <item>Endpoints not consuming again <see cref="EndpointGrace"/> after that are restarted. MassTransit's receive
/// back-off grows with every failed reconnect (3 s, doubling, at most 30 s) and a success does not reset it, so after
/// an outage a later node loss would stop an endpoint for as long; a restarted endpoint starts with a new one.</item>
/// </list>
/// It attaches to each connection once an endpoint is ready on it, or once it reconnected itself.
/// </summary>
public sealed class ConnectionLossWatch(
    BusConnection connection,
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

    /// <summary>How long after a new connection an endpoint may take to consume again before it is restarted.</summary>
    public static readonly TimeSpan EndpointGrace = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan EndpointStopTimeout = TimeSpan.FromSeconds(10);
    // Every 100 ms for the first second (MassTransit may still hold the lost connection while sends on it end), then
    // doubling up to 5 s while no node answers.
    private static readonly TimeSpan QuickRetryDelay = TimeSpan.FromMilliseconds(100);
    private const int QuickRetries = 10;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Uri, IReceiveEndpoint> notConsuming = new();
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
        if (lost == 0 || timeProvider.GetElapsedTime(lost) >= ReconnectGrace || Volatile.Read(ref watched) is not { IsOpen: true } current)
        {
            return false;
        }

        node = current.Endpoint.ToString();
        return true;
    }

    public Task Ready(ReceiveEndpointReady ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        notConsuming.TryRemove(ready.InputAddress, out _);
        // Every endpoint reports ready on the same connection: only the first after a new one needs the supervisor.
        if (Volatile.Read(ref watched) is not { IsOpen: true })
        {
            // Not inline: the endpoint's start must not wait on the connection supervisor.
            _ = Task.Run(() => AttachAsync(lifetime.ApplicationStopping));
        }

        return Task.CompletedTask;
    }

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        ArgumentNullException.ThrowIfNull(faulted);
        NotConsuming(faulted.InputAddress, faulted.ReceiveEndpoint);
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping)
    {
        ArgumentNullException.ThrowIfNull(stopping);
        if (stopping.Removed)
        {
            notConsuming.TryRemove(stopping.InputAddress, out _);
        }

        return Task.CompletedTask;
    }

    public Task Completed(ReceiveEndpointCompleted completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        NotConsuming(completed.InputAddress, completed.ReceiveEndpoint);
        return Task.CompletedTask;
    }

    private void NotConsuming(Uri address, IReceiveEndpoint endpoint)
    {
        if (!lifetime.ApplicationStopping.IsCancellationRequested)
        {
            notConsuming[address] = endpoint;
        }
    }

    /// <summary>Watches the bus's current connection; false when the supervisor still holds the one just lost.</summary>
    private async Task<bool> AttachAsync(CancellationToken cancellationToken)
    {
        try
        {
            var attached = false;
            await connection.UseAsync(
                current =>
                {
                    attached = Attach(current);
                    return Task.CompletedTask;
                },
                cancellationToken).ConfigureAwait(false);
            return attached;
        }
        catch (Exception exception) when (exception is OperationCanceledException or MassTransitException or ObjectDisposedException or RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            Log.ConnectionWatchFailed(logger, exception);
            return false;
        }
    }

    private bool Attach(IConnection connection)
    {
        if (!connection.IsOpen)
        {
            return false;
        }

        if (Interlocked.Exchange(ref watched, connection) != connection)
        {
            connection.ConnectionShutdownAsync += OnShutdownAsync;
            if (!connection.IsOpen)
            {
                // Closed before the handler was in place: its shutdown may have gone unseen.
                OnLost(connection.CloseReason);
                return false;
            }
        }

        return true;
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
            var delay = QuickRetryDelay;
            for (var attempt = 1; !stopping.IsCancellationRequested && !await AttachAsync(stopping).ConfigureAwait(false); attempt++)
            {
                await Task.Delay(delay, timeProvider, stopping).ConfigureAwait(false);
                if (attempt >= QuickRetries)
                {
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
                }
            }

            await Task.Delay(EndpointGrace, timeProvider, stopping).ConfigureAwait(false);
            await RestartNotConsumingAsync(stopping).ConfigureAwait(false);
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

    private async Task RestartNotConsumingAsync(CancellationToken stopping)
    {
        foreach (var (address, endpoint) in notConsuming)
        {
            if (stopping.IsCancellationRequested || watched is not { IsOpen: true })
            {
                return;
            }

            if (!notConsuming.TryRemove(KeyValuePair.Create(address, endpoint)))
            {
                continue;
            }

            Log.EndpointRestarted(logger, address, EndpointGrace);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                timeout.CancelAfter(EndpointStopTimeout);
                await endpoint.Stop(timeout.Token).ConfigureAwait(false);
                endpoint.Start(stopping);
            }
            catch (Exception exception) when (exception is OperationCanceledException or InvalidOperationException or MassTransitException)
            {
                // Left to MassTransit's own retry; the next lost connection tries again.
                Log.EndpointRestartFailed(logger, address, exception);
            }
        }
    }
}
