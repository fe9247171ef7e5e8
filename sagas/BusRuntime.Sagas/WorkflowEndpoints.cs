using BusRuntime.Core.Invoke;
using BusRuntime.Core.Transport;
using BusRuntime.Sagas.Activities;
using BusRuntime.Sagas.Configuration;
using BusRuntime.Sagas.Workflows;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.Sagas;

/// <summary>
/// Connects the workflow endpoints once the bus runs: the step activity's compensate and execute endpoints and
/// the saga's. Shared (fixed queue names, any sidecar continues any instance) when the repository is shared;
/// otherwise temporary queues of this sidecar alone, so no other sidecar sees an instance it does not hold.
/// </summary>
public sealed class WorkflowEndpoints(
    IReceiveEndpointConnector connector,
    IWorkflowSagaPlacement placement,
    ServiceInvoker invoker,
    IWorkflowInstances reader,
    WorkflowTopology topology,
    TimeProvider timeProvider,
    IOptions<WorkflowsOptions> options,
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
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await ConnectAsync(stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Log.EndpointsNotYet(logger, attempt, exception.Message);
                await StopHandlesAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * (1 << Math.Min(attempt, 6)))), timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
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
        var compensate = await ConnectAsync(prefix + CompensateSuffix, shared, (_, endpoint) =>
        {
            Limit(endpoint, concurrency);
            endpoint.CompensateActivityHost<StepActivity, StepLog>(() => new StepActivity(invoker, reader, timeProvider, stepLogger));
        }, cancellationToken).ConfigureAwait(false);
        var execute = await ConnectAsync(prefix + ExecuteSuffix, shared, (_, endpoint) =>
        {
            Limit(endpoint, concurrency);
            endpoint.ExecuteActivityHost<StepActivity, StepArguments>(compensate, () => new StepActivity(invoker, reader, timeProvider, stepLogger));
        }, cancellationToken).ConfigureAwait(false);
        var saga = await ConnectAsync(prefix + SagaSuffix, shared, (context, endpoint) =>
        {
            Limit(endpoint, concurrency);
            placement.ConfigureSaga(context, endpoint);
        }, cancellationToken).ConfigureAwait(false);
        topology.Connected(saga, execute);
        Log.EndpointsReady(logger, shared ? "shared" : "this sidecar only", saga, execute);
    }

    private async Task<Uri> ConnectAsync(string queue, bool shared, Action<IBusRegistrationContext, IReceiveEndpointConfigurator> configure, CancellationToken cancellationToken)
    {
        var handle = shared
            ? connector.ConnectReceiveEndpoint(queue, configure)
            : connector.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(queue), null, configure);
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
