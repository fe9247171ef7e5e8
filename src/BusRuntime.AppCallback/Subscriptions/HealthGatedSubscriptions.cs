using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Health;
using BusRuntime.Core.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace BusRuntime.AppCallback.Subscriptions;

/// <summary>
/// The app's subscriptions, whichever protocol it speaks, kept as daprd keeps them: the ones it lists merged with the
/// resource files' (<c>--resources-path</c>), and, with app health checks, added while the app is healthy and removed
/// while it is not (their queues keep the events), again and again. One per loader: it holds that loader's registrations.
/// </summary>
public sealed class HealthGatedSubscriptions(
    TopicSubscriptions subscriptions,
    DeclaredSubscriptions declared,
    AppHealth health,
    IOptions<AppHealthOptions> healthOptions,
    ILogger<HealthGatedSubscriptions> logger)
{
    private readonly List<IAsyncDisposable> registrations = [];

    /// <summary>Completes once the app is healthy (at once without health checks): daprd asks an app nothing before.</summary>
    public Task WaitUntilHealthyAsync(CancellationToken cancellationToken) => health.WaitUntilHealthyAsync(cancellationToken);

    /// <summary>
    /// The app's own subscriptions, then the declared ones, merged as daprd merges them: a topic the app subscribes to
    /// itself keeps the app's subscription.
    /// </summary>
    public IReadOnlyList<AppSubscription> WithDeclared(IReadOnlyList<AppSubscription> own, Func<SubscriptionSpec, ITopicEventHandler> handlerFor)
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(handlerFor);
        var all = own.ToList();
        var listed = own.Select(each => (each.Spec.PubsubName, each.Spec.Topic)).ToHashSet();
        foreach (var subscription in declared.All)
        {
            // The resource files declare a topic once (the reader refuses a second).
            var spec = subscription.Spec;
            if (listed.Contains((spec.PubsubName, spec.Topic)))
            {
                Log.DeclaredShadowed(logger, subscription.Name, subscription.File, spec.PubsubName, spec.Topic);
                continue;
            }

            all.Add(new AppSubscription(spec, handlerFor(spec), $"subscription {Quoted.Of(subscription.Name)} of {subscription.File}"));
        }

        return all;
    }

    /// <summary>
    /// Adds the subscriptions once the app is healthy; with health checks, removes them when it turns unhealthy and adds
    /// them again when it is healthy, until the sidecar stops. A subscription the runtime rejects is logged and left out;
    /// one the broker cannot take yet is tried again through <paramref name="untilItWorks"/>.
    /// </summary>
    public async Task RunAsync(IReadOnlyList<AppSubscription> all, ResiliencePipeline untilItWorks, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(untilItWorks);
        while (true)
        {
            await health.WaitUntilHealthyAsync(stoppingToken).ConfigureAwait(false);
            await SubscribeAsync(all, untilItWorks, stoppingToken).ConfigureAwait(false);
            Log.Subscribed(logger, registrations.Count, all.Count);
            if (!healthOptions.Value.Enabled)
            {
                return;
            }

            await health.WaitUntilUnhealthyAsync(stoppingToken).ConfigureAwait(false);
            Log.Paused(logger, registrations.Count);
            await UnsubscribeAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes the subscriptions, not waiting on the broker beyond <paramref name="cancellationToken"/> (the host's shutdown timeout).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await UnsubscribeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.StopAbandoned(logger);
            registrations.Clear();
        }
    }

    private async Task SubscribeAsync(IReadOnlyList<AppSubscription> all, ResiliencePipeline untilItWorks, CancellationToken stoppingToken)
    {
        foreach (var (spec, handler, origin) in all)
        {
            try
            {
                registrations.Add(await untilItWorks.ExecuteAsync(
                    async token => await subscriptions.AddAsync(spec, handler, token).ConfigureAwait(false),
                    stoppingToken).ConfigureAwait(false));
            }
            catch (RuntimeException exception)
            {
                Log.Rejected(logger, spec.PubsubName, spec.Topic, origin, exception.Message);
            }
        }
    }

    private async Task UnsubscribeAsync(CancellationToken cancellationToken)
    {
        // Each leaves the list before it is ended, so one abandoned half-way is not ended twice.
        while (registrations.Count > 0)
        {
            var registration = registrations[^1];
            registrations.RemoveAt(registrations.Count - 1);
            await registration.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
