using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BusRuntime.Core.Stores;

/// <summary>Reports a store unhealthy, with its reason, while it cannot serve calls.</summary>
public sealed class StoreHealthCheck(IHealthReportingStore store, string kind) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await store.CheckHealthAsync(timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{kind} store");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{kind} store: no answer within {Timeout.TotalSeconds:0}s");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{kind} store: {exception.Message}");
        }
    }
}
