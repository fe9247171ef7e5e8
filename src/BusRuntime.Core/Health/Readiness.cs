using BusRuntime.Core.Stores;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BusRuntime.Core.Health;

/// <summary>
/// Runs the readiness health checks and turns them into the actuator's report. A component that has
/// never been healthy is INIT (still starting), one that was healthy and is not any more is DOWN. The
/// checks also run every second in the background (as the health check publisher), so a component
/// that was up is remembered as such even when nobody asked for readiness at the time.
/// </summary>
public sealed class Readiness(HealthCheckService healthChecks) : IHealthCheckPublisher
{
    private readonly HashSet<string> everUp = [];
    private readonly Lock gate = new();

    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        var report = await healthChecks.CheckHealthAsync(IsReadinessCheck, cancellationToken).ConfigureAwait(false);
        return Record(report);
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        Record(report);
        return Task.CompletedTask;
    }

    public static bool IsReadinessCheck(HealthCheckRegistration check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return check.Tags.Contains(StoreHealthChecks.ReadinessTag);
    }

    private ReadinessReport Record(HealthReport report)
    {
        var components = new SortedDictionary<string, ComponentHealth>(StringComparer.Ordinal);
        lock (gate)
        {
            foreach (var (name, entry) in report.Entries)
            {
                var component = ComponentName(name);
                string status;
                if (entry.Status == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
                {
                    everUp.Add(component);
                    status = HealthStatus.Up;
                }
                else
                {
                    status = everUp.Contains(component) ? HealthStatus.Down : HealthStatus.Init;
                }

                var details = new SortedDictionary<string, string>(StringComparer.Ordinal);
                if (!string.IsNullOrEmpty(entry.Description))
                {
                    details["description"] = entry.Description;
                }

                components[component] = new ComponentHealth(status, details);
            }
        }

        return new ReadinessReport(Overall(components.Values), components);
    }

    private static string Overall(IEnumerable<ComponentHealth> components)
    {
        var statuses = components.Select(component => component.Status).ToList();
        if (statuses.All(status => status == HealthStatus.Up))
        {
            return HealthStatus.Up;
        }

        return statuses.Contains(HealthStatus.Down) ? HealthStatus.Down : HealthStatus.Init;
    }

    // MassTransit names its check "masstransit-bus"; operators know it as the bus.
    private static string ComponentName(string healthCheckName) =>
        healthCheckName.StartsWith("masstransit", StringComparison.Ordinal) ? "bus" : healthCheckName;
}
