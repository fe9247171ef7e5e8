using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Health;
using BusRuntime.Core.Resilience;
using BusRuntime.Core.Subscriptions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace BusRuntime.AppCallback.Http;

/// <summary>
/// The subscriptions of an HTTP app (<see cref="AppChannelOptions.IsHttpApp"/>): asks <c>GET /dapr/subscribe</c> once
/// the app answers on its port, and subscribes to each topic it lists, delivering to its routes. As for a gRPC app,
/// both steps are retried with backoff (<see cref="ResiliencePipelines.AppSubscriptions"/>) until they work or the
/// sidecar stops. What the app answers is read as daprd reads it: 200 with the list, 404 for none, any other status
/// subscribes to nothing; a bad entry is left out with an error naming it, the others are kept. With app health checks, the
/// app is asked once it is healthy, and its subscriptions pause while it is unhealthy (their queues keep the events).
/// </summary>
public sealed class HttpAppSubscriptionLoader(
    IHttpClientFactory clients,
    TopicSubscriptions subscriptions,
    IOptions<AppChannelOptions> options,
    IOptions<AppHealthOptions> healthOptions,
    AppHealth health,
    ResiliencePipelineProvider<ResiliencePipelineKey> pipelines,
    ILogger<HttpAppSubscriptionLoader> logger) : BackgroundService
{
    /// <summary>How long one GET /dapr/subscribe may take before it is tried again.</summary>
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(10);

    private readonly List<IAsyncDisposable> registrations = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.AppPort == 0 || !options.Value.IsHttpApp)
        {
            return;
        }

        // With health checks, as daprd: nothing is asked of the app until it is healthy.
        await health.WaitUntilHealthyAsync(stoppingToken).ConfigureAwait(false);
        var client = clients.CreateClient(HttpAppClient.Name);
        var untilItWorks = pipelines.GetPipeline(new ResiliencePipelineKey(ResiliencePipelines.AppSubscriptions));
        IReadOnlyList<HttpAppSubscription> listed;
        try
        {
            listed = await untilItWorks.ExecuteAsync(async token => await ListAsync(client, token).ConfigureAwait(false), stoppingToken).ConfigureAwait(false);
        }
        catch (RuntimeException exception) when (exception.Code == ErrorCode.InvalidArgument)
        {
            Log.SubscriptionListRejected(logger, exception.Message);
            return;
        }

        var accepted = new List<(SubscriptionSpec Spec, HttpAppTopicEventHandler Handler)>();
        foreach (var subscription in listed)
        {
            try
            {
                accepted.Add((subscription.ToSpec(), new HttpAppTopicEventHandler(client, subscription, logger)));
            }
            catch (RuntimeException exception)
            {
                Log.SubscriptionRejected(logger, subscription.PubsubName, subscription.Topic, exception.Message);
            }
        }

        while (true)
        {
            await health.WaitUntilHealthyAsync(stoppingToken).ConfigureAwait(false);
            await SubscribeAsync(accepted, untilItWorks, stoppingToken).ConfigureAwait(false);
            Log.SubscriptionsLoaded(logger, registrations.Count, listed.Count);
            if (!healthOptions.Value.Enabled)
            {
                return;
            }

            // While the app is unhealthy its events stay in their queues.
            await health.WaitUntilUnhealthyAsync(stoppingToken).ConfigureAwait(false);
            Log.SubscriptionsPaused(logger, registrations.Count);
            await UnsubscribeAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task SubscribeAsync(List<(SubscriptionSpec Spec, HttpAppTopicEventHandler Handler)> accepted, ResiliencePipeline untilItWorks, CancellationToken stoppingToken)
    {
        foreach (var (spec, handler) in accepted)
        {
            try
            {
                registrations.Add(await untilItWorks.ExecuteAsync(
                    async token => await subscriptions.AddAsync(spec, handler, token).ConfigureAwait(false),
                    stoppingToken).ConfigureAwait(false));
            }
            catch (RuntimeException exception)
            {
                Log.SubscriptionRejected(logger, spec.PubsubName, spec.Topic, exception.Message);
            }
        }
    }

    private async Task UnsubscribeAsync(CancellationToken cancellationToken)
    {
        foreach (var registration in registrations)
        {
            await registration.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        registrations.Clear();
    }

    private async Task<IReadOnlyList<HttpAppSubscription>> ListAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(ListTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/dapr/subscribe", UriKind.Relative));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false);
            switch ((int)response.StatusCode)
            {
                case 200:
                    var body = await HttpAppAnswers.ReadAsync(response.Content, HttpSubscriptionParser.MaxBodyBytes, attempt.Token).ConfigureAwait(false)
                        ?? throw RuntimeException.InvalidArgument($"the answer to GET /dapr/subscribe is longer than {HttpSubscriptionParser.MaxBodyBytes} bytes.");
                    var problems = new List<string>();
                    var listed = HttpSubscriptionParser.Parse(body, problems);
                    foreach (var problem in problems)
                    {
                        Log.SubscriptionEntryRejected(logger, problem);
                    }

                    Log.SubscriptionsListed(logger, listed.Count);
                    return listed;
                case 404:
                    Log.NoSubscriptions(logger);
                    return [];
                case var statusCode:
                    Log.SubscriptionListFailed(logger, statusCode);
                    return [];
            }
        }
        catch (HttpRequestException exception)
        {
            throw RuntimeException.Unavailable($"the app does not answer GET /dapr/subscribe on {options.Value.AppAddress}: {exception.Message}", exception);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw RuntimeException.Unavailable($"the app did not answer GET /dapr/subscribe on {options.Value.AppAddress} within {ListTimeout.TotalSeconds:0}s.", exception);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Ending a subscription waits on the broker: not beyond the host's shutdown timeout.
            await UnsubscribeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.StopAbandoned(logger);
            registrations.Clear();
        }
    }
}
