namespace BusRuntime.Core.Resilience;

/// <summary>
/// Every resilience pipeline of the runtime by name: each retry, timeout and circuit breaker is one of these,
/// registered with <see cref="ResilienceServiceCollectionExtensions.AddBusRuntimeResiliencePipeline"/> and taken
/// from Polly's <c>ResiliencePipelineProvider&lt;ResiliencePipelineKey&gt;</c> by name and target. A pipeline
/// keyed per target gets an instance of its own for each target (its own breaker, its own limiter).
/// </summary>
public static class ResiliencePipelines
{
    /// <summary>
    /// Service invocation, per target app id: a concurrency limiter, the retry of idempotent calls that failed
    /// UNAVAILABLE, a circuit breaker and the timeout of one attempt, from the target's InvokePolicyOptions.
    /// </summary>
    public const string Invoke = "busruntime-invoke";

    /// <summary>
    /// Loading the app's topic subscriptions: asking the app (it may start after its sidecar), then connecting
    /// each subscription (the broker may not be there yet); retried with backoff until it works or the sidecar stops.
    /// </summary>
    public const string AppSubscriptions = "busruntime-app-subscriptions";

    /// <summary>Serving the app's invocations: connecting its invoke queue, retried with backoff until the broker takes it or the sidecar stops.</summary>
    public const string AppInvocations = "busruntime-app-invocations";

    /// <summary>Taking the app's job ticks: connecting its jobs queue, retried with backoff until the broker takes it or the sidecar stops.</summary>
    public const string AppJobs = "busruntime-app-jobs";

    /// <summary>A unit of work of the PostgreSQL stores, per schema: run again after a deadlock or serialization failure.</summary>
    public const string Postgres = "busruntime-postgres";

    /// <summary>A configuration watch reading its store again, per configuration store: retried with backoff until it works or the stream ends.</summary>
    public const string ConfigurationReread = "busruntime-configuration-reread";

    /// <summary>Connecting the workflow endpoints: retried with backoff until the bus (and the saga table) take them or the sidecar stops.</summary>
    public const string WorkflowEndpoints = "busruntime-workflow-endpoints";

    /// <summary>A workflow step reading its instance for a terminate request: retried a few times while the workflow store is unavailable.</summary>
    public const string WorkflowStep = "busruntime-workflow-step";

    /// <summary>A call of a bindings.http component, per component: the timeout of the whole call, from its metadata timeout.</summary>
    public const string BindingHttp = "busruntime-binding-http";

    /// <summary>Every name above.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Invoke, AppSubscriptions, AppInvocations, AppJobs, Postgres, ConfigurationReread, WorkflowEndpoints, WorkflowStep, BindingHttp];
}
