namespace BusRuntime.Sidecar.Tests.Actuator;

/// <summary>
/// Tests that read /metrics run alone. OpenTelemetry listens to meters by name across the process, so
/// with several sidecars in one test process a sidecar's exporter may bind another sidecar's instruments
/// (same meter and instrument names) and report theirs instead of its own. One sidecar per process, as
/// in production, has no such problem.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics";
}
