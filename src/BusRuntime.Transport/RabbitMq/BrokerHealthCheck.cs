using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BusRuntime.Transport.RabbitMq;

/// <summary>
/// MassTransit's bus health check, whose "Not ready" also says why the broker connection failed. While the bus's
/// endpoints reconnect after a lost connection and a node is connected already, the bus is ready: a cluster that
/// lost a node still serves.
/// </summary>
public sealed class BrokerHealthCheck(IHealthCheck bus, BrokerConnectionFailure failure, ConnectionLossWatch connection) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = await bus.CheckHealthAsync(context, cancellationToken).ConfigureAwait(false);
        if (result.Status == HealthStatus.Healthy)
        {
            return result;
        }

        if (connection.Reconnecting(out var node))
        {
            return HealthCheckResult.Healthy($"connected to {node}; endpoints reconnecting after a lost connection: {result.Description}", result.Data);
        }

        return failure.Reason is not { } reason
            ? result
            : new HealthCheckResult(result.Status, $"{result.Description}; {reason}", result.Exception, result.Data);
    }
}
