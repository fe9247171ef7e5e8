namespace BusRuntime.LoadDriver.Workflow;

/// <summary>One run of the workflow benchmark. <see cref="Postgres"/> empty: the saga repository stays in memory.</summary>
public sealed record WorkflowBenchmarkSettings(
    int Workflows,
    int Concurrency,
    int Warmup,
    int PayloadBytes,
    string RabbitMqUri,
    string Postgres,
    string SidecarPath,
    TimeSpan StartupTimeout,
    TimeSpan PhaseTimeout);
