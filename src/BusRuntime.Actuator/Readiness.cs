using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BusRuntime.Actuator;

/// <summary>
/// Runs the readiness health checks and turns them into the actuator's report. A component that has
/// never been healthy is INIT (still starting), one that was healthy and is not any more is DOWN.
/// </summary>
public sealed class Readiness(HealthCheckService healthChecks)
{
    /// <summary>The health check tag that marks a check as part of readiness.</summary>
    public const string Tag = "ready";

    private readonly HashSet<string> everUp = [];
    private readonly Lock gate = new();

    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        var report = await healthChecks.CheckHealthAsync(check => check.Tags.Contains(Tag), cancellationToken).ConfigureAwait(false);
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
