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
/// resource files' (<c>--resources-path</c>), following the files when hot reload changes their subscriptions, and, with
/// app health checks, added while the app is healthy and removed while it is not (their queues keep the events), again
/// and again. One per loader: it holds that loader's registrations.
/// </summary>
public sealed class HealthGatedSubscriptions(
    TopicSubscriptions subscriptions,
    DeclaredSubscriptions declared,
    AppHealth health,
    IOptions<AppHealthOptions> healthOptions,
    ILogger<HealthGatedSubscriptions> logger)
{
    private readonly List<(AppSubscription Subscription, IAsyncDisposable Registration)> registrations = [];

    /// <summary>Completes once the app is healthy (at once without health checks): daprd asks an app nothing before.</summary>
    public Task WaitUntilHealthyAsync(CancellationToken cancellationToken) => health.WaitUntilHealthyAsync(cancellationToken);

    /// <summary>
    /// Adds the app's own subscriptions and the declared ones once the app is healthy, then, until the sidecar stops:
    /// follows the declared ones when the files change them (removing what went or changed, adding what came), and, with
    /// health checks, removes them all when the app turns unhealthy and adds them again when it is healthy. A subscription
    /// the runtime rejects is logged and left out; one the broker cannot take yet is tried again through
    /// <paramref name="untilItWorks"/>. <paramref name="handlerFor"/> makes the handler of a declared subscription.
    /// </summary>
    public async Task RunAsync(
        IReadOnlyList<AppSubscription> own, Func<SubscriptionSpec, ITopicEventHandler> handlerFor, ResiliencePipeline untilItWorks, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(handlerFor);
        ArgumentNullException.ThrowIfNull(untilItWorks);
        while (true)
        {
            await health.WaitUntilHealthyAsync(stoppingToken).ConfigureAwait(false);
            var (now, changed) = declared.Current;
            var all = Merge(own, now, handlerFor);
            await SubscribeAsync(all, untilItWorks, stoppingToken).ConfigureAwait(false);
            Log.Subscribed(logger, registrations.Count, all.Count);
            var unhealthy = healthOptions.Value.Enabled
                ? health.WaitUntilUnhealthyAsync(stoppingToken)
                : Task.Delay(Timeout.Infinite, stoppingToken);
            while (await Task.WhenAny(unhealthy, changed).ConfigureAwait(false) == changed)
            {
                (now, changed) = declared.Current;
                await FollowAsync(Merge(own, now, handlerFor), untilItWorks, stoppingToken).ConfigureAwait(false);
            }

            await unhealthy.ConfigureAwait(false);
            Log.Paused(logger, registrations.Count);
            await UnsubscribeAsync(_ => true, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes the subscriptions, not waiting on the broker beyond <paramref name="cancellationToken"/> (the host's shutdown timeout).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await UnsubscribeAsync(_ => true, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.StopAbandoned(logger);
            registrations.Clear();
        }
    }

    /// <summary>
    /// The app's own subscriptions, then the declared ones, merged as daprd merges them: a topic the app subscribes to
    /// itself keeps the app's subscription.
    /// </summary>
    private List<AppSubscription> Merge(
        IReadOnlyList<AppSubscription> own, IReadOnlyList<DeclaredSubscription> declaredNow, Func<SubscriptionSpec, ITopicEventHandler> handlerFor)
    {
        var all = own.ToList();
        var listed = own.Select(each => (each.Spec.PubsubName, each.Spec.Topic)).ToHashSet();
        foreach (var subscription in declaredNow)
        {
            // The resource files declare a topic once (the reader refuses a second).
            var spec = subscription.Spec;
            if (listed.Contains((spec.PubsubName, spec.Topic)))
            {
                Log.DeclaredShadowed(logger, subscription.Name, subscription.File, spec.PubsubName, spec.Topic);
                continue;
            }

            all.Add(new AppSubscription(spec, handlerFor(spec), $"subscription {Quoted.Of(subscription.Name)} of {subscription.File}") { Declared = subscription });
        }

        return all;
    }

    /// <summary>
    /// After the files changed: ends the declared subscriptions that went or changed (their queues keep what they hold
    /// for the next subscription to the topic) and adds the new and changed ones; the others run on untouched.
    /// </summary>
    private async Task FollowAsync(List<AppSubscription> all, ResiliencePipeline untilItWorks, CancellationToken stoppingToken)
    {
        var wanted = all.Where(each => each.Declared is not null).ToList();
        bool Kept(AppSubscription running) => running.Declared is null || wanted.Any(each => each.Declared!.SameAs(running.Declared));
        var removed = registrations.Count(each => !Kept(each.Subscription));
        await UnsubscribeAsync(running => !Kept(running), stoppingToken).ConfigureAwait(false);
        var added = wanted.Where(each => !registrations.Any(running => running.Subscription.Declared?.SameAs(each.Declared!) == true)).ToList();
        await SubscribeAsync(added, untilItWorks, stoppingToken).ConfigureAwait(false);
        Log.DeclaredFollowed(logger, removed, added.Count, registrations.Count);
    }

    private async Task SubscribeAsync(IReadOnlyList<AppSubscription> all, ResiliencePipeline untilItWorks, CancellationToken stoppingToken)
    {
        foreach (var subscription in all)
        {
            var (spec, handler, origin) = subscription;
            try
            {
                registrations.Add((subscription, await untilItWorks.ExecuteAsync(
                    async token => await subscriptions.AddAsync(spec, handler, token).ConfigureAwait(false),
                    stoppingToken).ConfigureAwait(false)));
            }
            catch (RuntimeException exception)
            {
                Log.Rejected(logger, spec.PubsubName, spec.Topic, origin, exception.Message);
            }
        }
    }

    private async Task UnsubscribeAsync(Func<AppSubscription, bool> which, CancellationToken cancellationToken)
    {
        // Each leaves the list before it is ended, so one abandoned half-way is not ended twice.
        for (var index = registrations.Count - 1; index >= 0; index--)
        {
            var (subscription, registration) = registrations[index];
            if (!which(subscription))
            {
                continue;
            }

            registrations.RemoveAt(index);
            await registration.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
