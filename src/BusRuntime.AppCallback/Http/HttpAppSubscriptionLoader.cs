using BusRuntime.AppCallback.Subscriptions;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Resilience;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Registry;

namespace BusRuntime.AppCallback.Http;

/// <summary>
/// The subscriptions of an HTTP app (<see cref="AppChannelOptions.IsHttpApp"/>): asks <c>GET /dapr/subscribe</c> once
/// the app answers on its port, and subscribes to each topic it lists, delivering to its routes. As for a gRPC app,
/// both steps are retried with backoff (<see cref="ResiliencePipelines.AppSubscriptions"/>) until they work or the
/// sidecar stops. What the app answers is read as daprd reads it: 200 with the list, 404 for none, any other status
/// subscribes to nothing; a bad entry is left out with an error naming it, the others are kept. The resource files'
/// subscriptions are added too, POSTed to their routes. With app health checks, the app is asked once it is healthy, and
/// its subscriptions pause while it is unhealthy (<see cref="HealthGatedSubscriptions"/>).
/// </summary>
public sealed class HttpAppSubscriptionLoader(
    IHttpClientFactory clients,
    HealthGatedSubscriptions subscriptions,
    IOptions<AppChannelOptions> options,
    ResiliencePipelineProvider<ResiliencePipelineKey> pipelines,
    ILogger<HttpAppSubscriptionLoader> logger) : BackgroundService
{
    /// <summary>How long one GET /dapr/subscribe may take before it is tried again.</summary>
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.AppPort == 0 || !options.Value.IsHttpApp)
        {
            return;
        }

        // With health checks, as daprd: nothing is asked of the app until it is healthy.
        await subscriptions.WaitUntilHealthyAsync(stoppingToken).ConfigureAwait(false);
        var client = clients.CreateClient(HttpAppClient.Name);
        var untilItWorks = pipelines.GetPipeline(new ResiliencePipelineKey(ResiliencePipelines.AppSubscriptions));
        IReadOnlyList<HttpAppSubscription> listed;
        try
        {
            listed = await untilItWorks.ExecuteAsync(async token => await ListAsync(client, token).ConfigureAwait(false), stoppingToken).ConfigureAwait(false);
        }
        catch (RuntimeException exception) when (exception.Code == ErrorCode.InvalidArgument)
        {
            // The resource files' subscriptions are still the app's.
            Log.SubscriptionListRejected(logger, exception.Message);
            listed = [];
        }

        var own = new List<AppSubscription>();
        foreach (var subscription in listed)
        {
            try
            {
                own.Add(new AppSubscription(subscription.ToSpec(), new HttpAppTopicEventHandler(client, subscription, logger), AppSubscription.FromApp));
            }
            catch (RuntimeException exception)
            {
                Log.SubscriptionRejected(logger, subscription.PubsubName, subscription.Topic, exception.Message);
            }
        }

        // daprd delivers the resource files' subscriptions to an HTTP app as to the ones it lists: POSTed to their routes.
        await subscriptions.RunAsync(
            own,
            spec => new HttpAppTopicEventHandler(client, new HttpAppSubscription(spec.PubsubName, spec.Topic) { Metadata = spec.Metadata }, logger),
            untilItWorks,
            stoppingToken).ConfigureAwait(false);
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
        await subscriptions.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
