using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BusRuntime.Transport.RabbitMq;

/// <summary>MassTransit's bus health check, whose "Not ready" also says why the broker connection failed.</summary>
public sealed class BrokerHealthCheck(IHealthCheck bus, BrokerConnectionFailure failure) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = await bus.CheckHealthAsync(context, cancellationToken).ConfigureAwait(false);
        return result.Status == HealthStatus.Healthy || failure.Reason is not { } reason
            ? result
            : new HealthCheckResult(result.Status, $"{result.Description}; {reason}", result.Exception, result.Data);
    }
}
