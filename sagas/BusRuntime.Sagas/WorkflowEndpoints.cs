using BusRuntime.Core.Configuration;
using BusRuntime.Core.Invoke;
using BusRuntime.Core.Resilience;
using BusRuntime.Core.Transport;
using BusRuntime.Sagas.Activities;
using BusRuntime.Sagas.Configuration;
using BusRuntime.Sagas.Workflows;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.DependencyInjection;
using Polly.Registry;
using Polly.Retry;

namespace BusRuntime.Sagas;

/// <summary>
/// Connects the workflow endpoints once the bus runs: the step activity's compensate and execute endpoints and
/// the saga's. Shared (fixed queue names, any sidecar continues any instance) when the repository is shared;
/// otherwise temporary queues of this sidecar alone (named under its app's prefix, <see cref="AppTemporaryEndpoint"/>),
/// so no other sidecar sees an instance it does not hold; those are connected at the first workflow request.
/// Connecting is tried again (<see cref="ResiliencePipelines.WorkflowEndpoints"/>) until it works or the sidecar stops.
/// </summary>
public sealed class WorkflowEndpoints(
    IReceiveEndpointConnector connector,
    IBusTransport transport,
    IWorkflowSagaPlacement placement,
    ServiceInvoker invoker,
    IWorkflowInstances reader,
    WorkflowTopology topology,
    ResiliencePipelineProvider<ResiliencePipelineKey> pipelines,
    TimeProvider timeProvider,
    IOptions<WorkflowsOptions> options,
    IOptions<RuntimeOptions> runtimeOptions,
    ILogger<WorkflowEndpoints> logger,
    ILogger<StepActivity> stepLogger) : BackgroundService
{
    /// <summary>The endpoints' queue names after <see cref="WorkflowsOptions.WorkflowQueuePrefix"/>.</summary>
    public static IReadOnlyList<string> QueueSuffixes { get; } = [CompensateSuffix, ExecuteSuffix, SagaSuffix];

    private const string CompensateSuffix = "-step_compensate";
    private const string ExecuteSuffix = "-step_execute";
    private const string SagaSuffix = "-saga";

    private readonly List<HostReceiveEndpointHandle> handles = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!placement.Shared)
        {
            // Endpoints of this sidecar alone serve only the instances it starts itself, so they are connected at
            // its first workflow request rather than at start-up, where they cost about a tenth of its CPU
            // (docs/benchmarks.md). Shared endpoints serve instances other sidecars started and connect at once.
            await topology.Required.WaitAsync(stoppingToken).ConfigureAwait(false);
        }

        await pipelines.GetPipeline(new ResiliencePipelineKey(ResiliencePipelines.WorkflowEndpoints)).ExecuteAsync(
            async token =>
            {
                try
                {
                    await ConnectAsync(token).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    // The next attempt connects every endpoint again, so none is left half connected.
                    await StopHandlesAsync(token).ConfigureAwait(false);
                    throw;
                }
            },
            stoppingToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Until it works: any failure but the host stopping is tried again, waiting 200 ms after the first and twice
    /// as long after each next one, 5 s at most.
    /// </summary>
    internal static void ConfigureRetry(ResiliencePipelineBuilder builder, AddResiliencePipelineContext<ResiliencePipelineKey> context)
    {
        var logger = context.ServiceProvider.GetRequiredService<ILogger<WorkflowEndpoints>>();
        builder.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(5),
            ShouldHandle = arguments => ValueTask.FromResult(
                arguments.Outcome.Exception is { } exception
                && (exception is not OperationCanceledException || !arguments.Context.CancellationToken.IsCancellationRequested)),
            OnRetry = retry =>
            {
                Log.EndpointsNotYet(logger, retry.AttemptNumber + 1, retry.Outcome.Exception?.Message ?? "");
                return ValueTask.CompletedTask;
            },
        });
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // Steps in flight may finish for a while (the bus's ConsumerStopTimeout); then they are cancelled and their
        // messages go back to the queue (StepActivity), rather than failing and compensating a healthy workflow.
        await StopHandlesAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var shared = placement.Shared;
        var prefix = options.Value.WorkflowQueuePrefix;
        if (shared)
        {
            // The first read creates the saga table. Done here, under this loop's retries, since creating a
            // schema races with other sidecars (and this one's stores) doing the same, and a step that met that
            // race would fault and compensate its workflow.
            await reader.FindAsync(Guid.Empty, cancellationToken).ConfigureAwait(false);
        }

        var concurrency = options.Value.WorkflowConcurrency;
        var compensate = await ConnectAsync(prefix + CompensateSuffix, CompensateSuffix, shared, (_, endpoint) =>
        {
            Limit(endpoint, concurrency);
            endpoint.CompensateActivityHost<StepActivity, StepLog>(() => new StepActivity(invoker, reader, pipelines, stepLogger));
        }, cancellationToken).ConfigureAwait(false);
        var execute = await ConnectAsync(prefix + ExecuteSuffix, ExecuteSuffix, shared, (_, endpoint) =>
        {
            Limit(endpoint, concurrency);
            endpoint.ExecuteActivityHost<StepActivity, StepArguments>(compensate, () => new StepActivity(invoker, reader, pipelines, stepLogger));
        }, cancellationToken).ConfigureAwait(false);
        var saga = await ConnectAsync(prefix + SagaSuffix, SagaSuffix, shared, (context, endpoint) =>
        {
            Limit(endpoint, concurrency);
            placement.ConfigureSaga(context, endpoint);
        }, cancellationToken).ConfigureAwait(false);
        topology.Connected(saga, execute);
        Log.EndpointsReady(logger, shared ? "shared" : "this sidecar only", saga, execute);
    }

    private async Task<Uri> ConnectAsync(string queue, string suffix, bool shared, Action<IBusRegistrationContext, IReceiveEndpointConfigurator> configure, CancellationToken cancellationToken)
    {
        var handle = shared
            ? connector.ConnectReceiveEndpoint(queue, (context, endpoint) =>
            {
                transport.ConfigureSharedQueue(endpoint);
                configure(context, endpoint);
            })
            : connector.ConnectReceiveEndpoint(new AppTemporaryEndpoint(runtimeOptions.Value.AppId, "workflow" + suffix), null, configure);
        handles.Add(handle);
        await handle.Ready.WaitAsync(TimeSpan.FromSeconds(30), timeProvider, cancellationToken).ConfigureAwait(false);
        return handle.ReceiveEndpoint.InputAddress;
    }

    private static void Limit(IReceiveEndpointConfigurator endpoint, int concurrency)
    {
        endpoint.ConfigureConsumeTopology = false;
        endpoint.ConcurrentMessageLimit = concurrency;
        endpoint.PrefetchCount = concurrency;
    }

    private async Task StopHandlesAsync(CancellationToken shutdown)
    {
        await Task.WhenAll(handles.Select(handle =>
            ReceiveEndpointStop.StopAsync(handle, handle.ReceiveEndpoint.InputAddress.ToString(), timeProvider, logger, shutdown))).ConfigureAwait(false);
        handles.Clear();
    }
}
