using BusRuntime.Contracts;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.PubSub;
using BusRuntime.Core.Resilience;
using BusRuntime.Core.Transport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.DependencyInjection;
using Polly.Registry;

namespace BusRuntime.Core.Jobs;

/// <summary>
/// Consumes the app's jobs queue (<see cref="JobNames.Queue"/>) when the sidecar has an app: every replica of the app
/// does, so a tick any of them claimed goes to one of them (<see cref="JobTriggeredConsumer"/>). Connecting is retried
/// with backoff (<see cref="ResiliencePipelines.AppJobs"/>) until the broker takes the consumer or the sidecar stops.
/// </summary>
public sealed class JobTickServer(
    IReceiveEndpointConnector connector,
    IJobApp app,
    IOptions<RuntimeOptions> runtime,
    IOptions<AppChannelOptions> appChannel,
    IOptions<JobOptions> options,
    IOptions<PubSubOptions> pubSub,
    ResiliencePipelineProvider<ResiliencePipelineKey> pipelines,
    TimeProvider timeProvider,
    ILogger<JobTickServer> logger) : BackgroundService
{
    private HostReceiveEndpointHandle? endpoint;

    private string Queue => JobNames.Queue(runtime.Value.AppId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (appChannel.Value.AppPort == 0)
        {
            return;
        }

        var untilItWorks = pipelines.GetPipeline(new ResiliencePipelineKey(ResiliencePipelines.AppJobs));
        endpoint = await untilItWorks.ExecuteAsync(ConnectAsync, stoppingToken).ConfigureAwait(false);
        Log.ServingJobTicks(logger, Queue);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (endpoint is not null)
        {
            await ReceiveEndpointStop.StopAsync(endpoint, Queue, timeProvider, logger, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Until it works: connecting the jobs queue while the broker is unavailable is tried again with backoff.</summary>
    internal static void ConfigureRetry(ResiliencePipelineBuilder builder, AddResiliencePipelineContext<ResiliencePipelineKey> context)
    {
        var logger = context.ServiceProvider.GetRequiredService<ILogger<JobTickServer>>();
        builder.AddRetryUntilItWorks(
            new PredicateBuilder().Handle<RuntimeException>(exception => exception.Code == ErrorCode.Unavailable),
            (exception, attempt) => Log.JobTicksNotYet(logger, exception?.Message ?? "", attempt));
    }

    private async ValueTask<HostReceiveEndpointHandle> ConnectAsync(CancellationToken cancellationToken)
    {
        var queue = Queue;
        var appId = runtime.Value.AppId;
        var deliveryTimeout = options.Value.DeliveryTimeout;
        var handle = connector.ConnectReceiveEndpoint(queue, (_, configurator) =>
        {
            configurator.ConfigureConsumeTopology = false;
            configurator.PublishFaults = false;
            configurator.ConcurrentMessageLimit = JobRunner.BatchSize;
            configurator.PrefetchCount = JobRunner.BatchSize;

            // Every tick is answered; one that faults anyway is a failed try for the loop that sent it, not a message to keep.
            configurator.DiscardFaultedMessages();
            configurator.DiscardSkippedMessages();
            configurator.Consumer(() => new JobTriggeredConsumer(app, appId, deliveryTimeout, timeProvider, logger));
        });
        var timeout = pubSub.Value.SubscribeTimeout;
        try
        {
            await handle.Ready.WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
            return handle;
        }
        catch (Exception exception)
        {
            await ReceiveEndpointStop.StopAsync(handle, queue, timeProvider, logger, CancellationToken.None).ConfigureAwait(false);
            if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw RuntimeException.Unavailable($"the broker did not start consuming queue '{queue}' within {timeout.TotalSeconds:0.###}s: {exception.Message}", exception);
        }
    }
}
