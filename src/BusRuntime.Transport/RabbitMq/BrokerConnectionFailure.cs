using System.Security.Authentication;
using MassTransit;

namespace BusRuntime.Transport.RabbitMq;

/// <summary>
/// The last reason the bus could not connect to the broker, until an endpoint is ready again: what the bus's
/// readiness says besides MassTransit's own "Not ready" (a refused certificate, a refused login, no listener).
/// </summary>
public sealed class BrokerConnectionFailure(RabbitMqNodes nodes) : IReceiveEndpointObserver
{
    private volatile string? reason;

    /// <summary>Why the last connection failed, naming the broker without its password; null once connected.</summary>
    public string? Reason => reason;

    public Task Ready(ReceiveEndpointReady ready)
    {
        reason = null;
        return Task.CompletedTask;
    }

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        ArgumentNullException.ThrowIfNull(faulted);
        reason = nodes.IsCluster
            ? $"cannot connect to any node of RabbitMQ at {nodes}: {Describe(faulted.Exception)}"
            : $"cannot connect to RabbitMQ at {nodes}: {Describe(faulted.Exception)}";
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    // The TLS check's own explanation when it refused the certificate, else the innermost cause.
    private static string Describe(Exception? exception)
    {
        if (exception is null)
        {
            return "the receive endpoint faulted";
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is AuthenticationException)
            {
                return current.Message;
            }
        }

        return exception.GetBaseException().Message;
    }
}
